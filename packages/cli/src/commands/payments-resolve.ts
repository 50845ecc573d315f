import { ROUTER_HTTP_OPTIONS, ROUTER_HTTP_OPTIONS_HELP, resolveRouterHttpTarget } from "../cli-config.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP, printJson, requireOptions } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { callRouterAdmin } from "../router-admin.ts";

const STATUSES = ["succeeded", "failed"];

/** `paymesh payments resolve`: an operator settles a payment the status resolver raised for review. */
export const paymentsResolveCommand: Command = {
  help: `Usage: paymesh payments resolve <payment-id> --status <succeeded|failed> --evidence "…" --note "…" [options]

Asks the router (POST /admin/payments/{id}/resolve, an operator's token) to settle a payment the
status resolver raised for review ("needs review" in "paymesh payments stuck"): it becomes
SUCCEEDED or FAILED like any other change (its journal says "operator", its event goes to
payments.events, the metrics count it), and the decision is appended to the review trail with who
(the operator the token belongs to), when, the evidence and the note. Nothing in the trail is ever
changed or deleted. Refused (409, with the reason): a payment not under review
(PAYMENT_NOT_IN_REVIEW), already final (PAYMENT_FINAL), or already settled by an operator
(ALREADY_RESOLVED; of two operators deciding at once, one wins).

Arguments:
  <payment-id>             the "pay_…" id from "paymesh payments stuck"

Options:
  --status <status>        succeeded (the money moved) or failed (it did not)
  --evidence <text>        what shows it: the provider's reference, a statement line, a ticket
                           (required, up to 2000 characters)
  --note <text>            why (required, up to 2000 characters)
${JSON_OPTION_HELP}: the router's answer, {"payment": {…}, "resolution": {…}}
${ROUTER_HTTP_OPTIONS_HELP}

Example:
  ./run pnpm paymesh payments resolve pay_01JZ8X3V6Q4N7S2M5K9R1T0W3Y --status succeeded \\
    --evidence "BCA statement 2026-12-03 line 41, ref 7731" --note "paid; the provider never answered"`,
  async run({ args, env, print }) {
    const parsed = parseCommandArgs(
      "payments resolve",
      args,
      {
        ...ROUTER_HTTP_OPTIONS,
        status: { type: "string" },
        evidence: { type: "string" },
        note: { type: "string" },
        ...JSON_OPTION,
      },
      { names: ["payment-id"] },
    );
    const values = requireOptions("payments resolve", parsed.values, ["status", "evidence", "note"]);
    const status = values.status.toLowerCase();
    if (!STATUSES.includes(status)) {
      throw new CliError(
        `payments resolve: --status must be succeeded or failed, not ${JSON.stringify(values.status)}`,
      );
    }
    const id = parsed.positionals[0] ?? "";
    const answer = await callRouterAdmin(
      resolveRouterHttpTarget(values, env),
      "POST",
      `/admin/payments/${encodeURIComponent(id)}/resolve`,
      { body: { status, evidence: values.evidence, note: values.note } },
    );
    if (values.json === true) {
      printJson(print, answer);
      return 0;
    }
    const resolution = (answer as { resolution?: Record<string, string> }).resolution ?? {};
    print(
      `settled ${id} as ${resolution.status ?? "?"} (was ${resolution.fromStatus ?? "?"}) by ${resolution.actor ?? "?"} at ${resolution.at ?? "?"}`,
    );
    return 0;
  },
};
