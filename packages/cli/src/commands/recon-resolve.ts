import { ROUTER_HTTP_OPTIONS, ROUTER_HTTP_OPTIONS_HELP, resolveRouterHttpTarget } from "../cli-config.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP, printJson, requireOptions } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { callRouterAdmin } from "../router-admin.ts";

/** `paymesh recon resolve`: records a person's decision about one discrepancy. */
export const reconResolveCommand: Command = {
  help: `Usage: paymesh recon resolve <id> --action <accept|write-off|adjust> --note "…" [options]

Asks the router (POST /admin/recon/discrepancies/{id}/resolve, an operator's token) to append a
decision to the reconciliation's resolution trail: who decided (the operator the token belongs
to), when, what and why. The trail is append-only: nothing in it is ever changed or deleted. A
discrepancy is decided once; a second decision is refused (409). If a rerun of the day classes the
line differently, it is open again and may be decided anew.

Arguments:
  <id>                     the discrepancy id from "paymesh recon discrepancies", e.g. 12:345

Options:
  --action <action>        accept (it is fine), write-off (the money is lost) or adjust (corrected)
  --note <text>            why: the evidence a later reader needs (required, up to 2000 characters)
${JSON_OPTION_HELP}: the router's answer, {"resolution": {…}}
${ROUTER_HTTP_OPTIONS_HELP}

Example:
  ./run pnpm paymesh recon resolve 12:345 --action write-off --note "provider confirms no funds"`,
  async run({ args, env, print }) {
    const parsed = parseCommandArgs(
      "recon resolve",
      args,
      { ...ROUTER_HTTP_OPTIONS, action: { type: "string" }, note: { type: "string" }, ...JSON_OPTION },
      { names: ["id"] },
    );
    const values = requireOptions("recon resolve", parsed.values, ["action", "note"]);
    const id = parsed.positionals[0] ?? "";
    const answer = await callRouterAdmin(
      resolveRouterHttpTarget(values, env),
      "POST",
      `/admin/recon/discrepancies/${encodeURIComponent(id)}/resolve`,
      { body: { action: values.action, note: values.note } },
    );
    if (values.json === true) {
      printJson(print, answer);
      return 0;
    }
    const resolution = (
      answer as { resolution?: { class?: string; action?: string; actor?: string; at?: string } }
    ).resolution;
    print(
      `resolved ${id} (${resolution?.class ?? "?"}): ${resolution?.action ?? "?"} by ${resolution?.actor ?? "?"} at ${resolution?.at ?? "?"}`,
    );
    return 0;
  },
};
