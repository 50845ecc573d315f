import { randomUUID } from "node:crypto";
import { ROUTER_OPTIONS, ROUTER_OPTIONS_HELP, resolveRouterTarget } from "../cli-config.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP, requireOptions } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { parseRupiahAmount } from "../rupiah-amount.ts";

/**
 * `paymesh pay qris`: creates a QRIS payment through the router exactly as an internal service
 * would (gRPC, bearer token, idempotency key), so a newcomer sees the whole path with one command.
 */
export const payQrisCommand: Command = {
  help: `Usage: paymesh pay qris --amount <rupiah> [options]

Calls PaymentService.CreatePayment on the router for a dynamic QRIS payment in IDR, prints the
Payment as JSON, then the QR string to render on its own line (with --json: only the Payment).

Options:
  --amount <rupiah>        required; whole rupiah, up to two decimals: 25000, 25000.50
  --key <key>              idempotency key (default: a fresh random UUID). Repeat a key to get
                           the first payment back instead of a second charge
  --reference <ref>        your merchant reference (order or invoice id), at most 64 characters
  --description <text>     free text stored with the payment
  --terminal-label <text>  printed into the QR (tag 62 sub-tag 07)
${JSON_OPTION_HELP}
${ROUTER_OPTIONS_HELP}

Example:
  ./run pnpm paymesh pay qris --amount 25000 --reference ORDER-1001
  ./run pnpm paymesh sandbox pay qris <payment-id>      # then: the customer pays`,
  async run({ args, env, print }) {
    const { values } = parseCommandArgs(
      "pay qris",
      args,
      {
        amount: { type: "string" },
        key: { type: "string" },
        reference: { type: "string" },
        description: { type: "string" },
        "terminal-label": { type: "string" },
        ...JSON_OPTION,
        ...ROUTER_OPTIONS,
      },
      { names: [] },
    );
    const minorUnits = parseRupiahAmount(requireOptions("pay qris", values, ["amount"]).amount);
    const { createPayment, paymentJson } = await import("../payment-client.ts");
    const payment = await createPayment(resolveRouterTarget(values, env), {
      idempotencyKey: values.key ?? randomUUID(),
      amount: { currency: "IDR", minorUnits },
      method: { case: "qris", value: { terminalLabel: values["terminal-label"] ?? "" } },
      merchantReference: values.reference ?? "",
      description: values.description ?? "",
    });
    print(paymentJson(payment));
    const action = payment.customerAction?.action;
    if (action?.case === "qris" && values.json !== true) print(action.value.qrString);
    return 0;
  },
};
