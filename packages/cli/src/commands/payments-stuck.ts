import { timestampDate } from "@bufbuild/protobuf/wkt";
import { PaymentStatus } from "@paymesh/proto";
import { ROUTER_OPTIONS, ROUTER_OPTIONS_HELP, resolveRouterTarget } from "../cli-config.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP, parseLimit, printJson } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { paymentObject, withPaymentClient } from "../payment-client.ts";

/** `paymesh payments stuck`: what is waiting on the status resolver or on a person, and why. */
export const paymentsStuckCommand: Command = {
  help: `Usage: paymesh payments stuck [options]

Calls ListPayments with unresolved_only: payments whose provider outcome is still unknown (the
status resolver keeps asking the provider) and payments raised for manual review (the resolver
gave up after its horizon; a person decides — Paymesh never guesses).

Options:
  --limit <n>              at most this many, 1..100 (default 100)
${JSON_OPTION_HELP}: {"payments": […]}
${ROUTER_OPTIONS_HELP}

Example:
  ./run pnpm paymesh payments stuck`,
  async run({ args, env, print }) {
    const { values } = parseCommandArgs(
      "payments stuck",
      args,
      { ...ROUTER_OPTIONS, limit: { type: "string" }, ...JSON_OPTION },
      { names: [] },
    );
    const limit = parseLimit("payments stuck", values.limit, { max: 100, fallback: 100 });
    const target = resolveRouterTarget(values, env);
    const page = await withPaymentClient(target, (client, deadline) =>
      client.listPayments(
        {
          pageSize: limit,
          unresolvedOnly: true,
        },
        { deadline },
      ),
    );
    if (values.json === true) {
      printJson(print, { payments: page.payments.map(paymentObject) });
      return 0;
    }
    if (page.payments.length === 0) {
      print("nothing is stuck");
      return 0;
    }
    for (const payment of page.payments) {
      const why = payment.needsReview
        ? `needs review: ${payment.reviewReason}`
        : "outcome unknown: the resolver is asking the provider";
      const since =
        payment.updatedAt === undefined ? "" : ` (since ${timestampDate(payment.updatedAt).toISOString()})`;
      const status = (PaymentStatus[payment.status] ?? "").toLowerCase();
      print(`${payment.id}  ${status.padEnd(15)} ${payment.adapter.padEnd(12)} ${why}${since}`);
    }
    if (page.nextPageToken !== "") print("(more: raise --limit or use payments list --page-token)");
    return 0;
  },
};
