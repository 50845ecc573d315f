import { randomUUID } from "node:crypto";
import { ROUTER_OPTIONS, ROUTER_OPTIONS_HELP, resolveRouterTarget } from "../cli-config.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { parseChoice } from "../enum-value.ts";
import { JSON_OPTION, JSON_OPTION_HELP, requireOptions } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { parseRupiahAmount } from "../rupiah-amount.ts";

// The banks of the VirtualAccountBank enum (VIRTUAL_ACCOUNT_BANK_BCA, …), by the name people type.
const BANK_NAMES = ["bca", "bni", "bri", "permata"] as const;

/**
 * `paymesh pay va`: issues a virtual account through the router, the way most Indonesian invoices
 * are paid. The number printed last is what the customer types into their banking app.
 */
export const payVaCommand: Command = {
  help: `Usage: paymesh pay va --amount <rupiah> --bank bca|bni|bri|permata [options]

Calls PaymentService.CreatePayment on the router for a bank virtual account in IDR, prints the
Payment as JSON (REQUIRES_ACTION), then the VA number the customer transfers to, on its own line
(with --json: only the Payment).

Options:
  --amount <rupiah>        required; whole rupiah (Midtrans takes no cents), Rp10000 to Rp50000000
  --bank <bank>            required; bca, bni, bri or permata
  --name <customer name>   shown to the payer by the bank (Permata: at most 20 characters)
  --va-number <digits>     ask for this VA number (BCA 6-11 digits, BNI 8 or 12, BRI 18, Permata 10)
  --key <key>              idempotency key (default: a fresh random UUID). Repeat a key to get
                           the first payment back instead of a second VA
  --reference <ref>        your merchant reference (order or invoice id), at most 64 characters
  --description <text>     free text stored with the payment
${JSON_OPTION_HELP}
${ROUTER_OPTIONS_HELP}

Example:
  ./run pnpm paymesh pay va --amount 150000 --bank bca --name "Budi Santoso" --reference INV-2001
  ./run pnpm paymesh sandbox pay va <payment-id>      # then: the customer pays`,
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
        ...JSON_OPTION,
        ...ROUTER_OPTIONS,
      },
      { names: [] },
    );
    const given = requireOptions("pay va", values, ["amount", "bank"]);
    const bankName = parseChoice("pay va", "bank", given.bank, BANK_NAMES, "VIRTUAL_ACCOUNT_BANK_");
    const minorUnits = parseRupiahAmount(given.amount);
    const customVaNumber = values["va-number"] ?? "";
    if (customVaNumber !== "" && !/^\d+$/.test(customVaNumber)) {
      throw new CliError(`--va-number ${JSON.stringify(customVaNumber)} must be digits only`);
    }
    const [{ createPayment, paymentJson }, { VirtualAccountBank }] = await Promise.all([
      import("../payment-client.ts"),
      import("@paymesh/proto"),
    ]);
    const bank = VirtualAccountBank[bankName.toUpperCase() as Uppercase<typeof bankName>];
    const payment = await createPayment(resolveRouterTarget(values, env), {
      idempotencyKey: values.key ?? randomUUID(),
      amount: { currency: "IDR", minorUnits },
      method: { case: "virtualAccount", value: { bank, customerName: values.name ?? "", customVaNumber } },
      merchantReference: values.reference ?? "",
      description: values.description ?? "",
    });
    print(paymentJson(payment));
    const action = payment.customerAction?.action;
    if (action?.case === "virtualAccount" && values.json !== true) print(action.value.vaNumber);
    return 0;
  },
};
