import { ROUTER_OPTIONS, ROUTER_OPTIONS_HELP, resolveRouterTarget } from "../cli-config.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";

/** `paymesh payments cancel`: withdraws a payment nobody has paid yet, e.g. an abandoned QR. */
export const paymentsCancelCommand: Command = {
  help: `Usage: paymesh payments cancel <payment-id> [--reason <text>] [options]

Calls PaymentService.CancelPayment and prints the Payment as proto3 JSON, as the provider's answer
left it (CANCELED when the provider voided it). Only a payment waiting on its customer or its
provider (requires_action, processing) can be canceled: any other is refused with
FAILED_PRECONDITION PAYMENT_NOT_CANCELABLE and stays as it was.

Arguments:
  <payment-id>             the "pay_…" id from "paymesh pay"

Options:
  --reason <text>          why, stored with the payment
${JSON_OPTION_HELP}
${ROUTER_OPTIONS_HELP}

Example:
  ./run pnpm paymesh payments cancel pay_01JZ8X3V6Q4N7S2M5K9R1T0W3Y --reason "customer left"`,
  async run({ args, env, print }) {
    const { values, positionals } = parseCommandArgs(
      "payments cancel",
      args,
      { reason: { type: "string" }, ...JSON_OPTION, ...ROUTER_OPTIONS },
      { names: ["payment-id"] },
    );
    const { cancelPayment, paymentJson } = await import("../payment-client.ts");
    const target = resolveRouterTarget(values, env);
    print(paymentJson(await cancelPayment(target, positionals[0] ?? "", values.reason ?? "")));
    return 0;
  },
};
