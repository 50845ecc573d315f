import { ROUTER_OPTIONS, ROUTER_OPTIONS_HELP, resolveRouterTarget } from "../cli-config.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { getPayment, paymentJson } from "../payment-client.ts";

/** `paymesh payments get`: the router's current view of one payment, to follow it to a final state. */
export const paymentsGetCommand: Command = {
  help: `Usage: paymesh payments get <payment-id> [options]

Calls PaymentService.GetPayment and prints the Payment as proto3 JSON (the same shape the
Connect/JSON endpoint returns), with or without --json.

Arguments:
  <payment-id>             the "pay_…" id from "paymesh pay"

Options:
${JSON_OPTION_HELP}
${ROUTER_OPTIONS_HELP}

Example:
  ./run pnpm paymesh payments get pay_01JZ8X3V6Q4N7S2M5K9R1T0W3Y`,
  async run({ args, env, print }) {
    const { values, positionals } = parseCommandArgs(
      "payments get",
      args,
      { ...JSON_OPTION, ...ROUTER_OPTIONS },
      { names: ["payment-id"] },
    );
    const payment = await getPayment(resolveRouterTarget(values, env), positionals[0] ?? "");
    print(paymentJson(payment));
    return 0;
  },
};
