import { randomUUID } from "node:crypto";
import { VirtualAccountBank } from "@paymesh/proto";
import { ROUTER_OPTIONS, ROUTER_OPTIONS_HELP, resolveRouterTarget } from "../cli-config.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { oneOf, requireOptions } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { createPayment, paymentJson } from "../payment-client.ts";
import { parseRupiahAmount } from "../rupiah-amount.ts";

const BANKS = {
  bca: VirtualAccountBank.BCA,
  bni: VirtualAccountBank.BNI,
  bri: VirtualAccountBank.BRI,
  permata: VirtualAccountBank.PERMATA,
} as const;
const BANK_NAMES = Object.keys(BANKS) as (keyof typeof BANKS)[];

/**
 * `paymesh pay va`: issues a virtual account through the router, the way most Indonesian invoices
 * are paid. The number printed last is what the customer types into their banking app.
 */
export const payVaCommand: Command = {
  path: ["pay", "va"],
  summary: "Create a virtual-account payment through the router and print it",
  help: `Usage: paymesh pay va --amount <rupiah> --bank bca|bni|bri|permata [options]

Calls PaymentService.CreatePayment on the router for a bank virtual account in IDR, prints the
Payment as JSON (REQUIRES_ACTION), then the VA number the customer transfers to, on its own line.

Options:
  --amount <rupiah>        required; whole rupiah (Midtrans takes no cents), Rp10000 to Rp50000000
  --bank <bank>            required; bca, bni, bri or permata
  --name <customer name>   shown to the payer by the bank (Permata: at most 20 characters)
  --va-number <digits>     ask for this VA number (BCA 6-11 digits, BNI 8 or 12, BRI 18, Permata 10)
  --key <key>              idempotency key (default: a fresh random UUID). Repeat a key to get
                           the first payment back instead of a second VA
  --reference <ref>        your merchant reference (order or invoice id), at most 64 characters
  --description <text>     free text stored with the payment
${ROUTER_OPTIONS_HELP}

Example:
  pnpm paymesh pay va --amount 150000 --bank bca --name "Budi Santoso" --reference INV-2001
  pnpm paymesh sandbox pay va <payment-id>      # then: the customer pays`,
  async run({ args, env, print }) {
    const { values } = parseCommandArgs(
      "pay va",
      args,
      {
        amount: { type: "string" },
        bank: { type: "string" },
        name: { type: "string" },
        "va-number": { type: "string" },
        key: { type: "string" },
        reference: { type: "string" },
        description: { type: "string" },
        ...ROUTER_OPTIONS,
      },
      { names: [] },
    );
    const given = requireOptions("pay va", values, ["amount", "bank"]);
    const bank = BANKS[oneOf("pay va", "bank", given.bank, BANK_NAMES)];
    const minorUnits = parseRupiahAmount(given.amount);
    const customVaNumber = values["va-number"] ?? "";
    if (customVaNumber !== "" && !/^\d+$/.test(customVaNumber)) {
      throw new CliError(`--va-number ${JSON.stringify(customVaNumber)} must be digits only`);
    }
    const payment = await createPayment(resolveRouterTarget(values, env), {
      idempotencyKey: values.key ?? randomUUID(),
      amount: { currency: "IDR", minorUnits },
      method: { case: "virtualAccount", value: { bank, customerName: values.name ?? "", customVaNumber } },
      merchantReference: values.reference ?? "",
      description: values.description ?? "",
    });
    print(paymentJson(payment));
    const action = payment.customerAction?.action;
    if (action?.case === "virtualAccount") print(action.value.vaNumber);
    return 0;
  },
};
