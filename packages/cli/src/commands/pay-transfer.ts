import { randomUUID } from "node:crypto";
import { ROUTER_OPTIONS, ROUTER_OPTIONS_HELP, resolveRouterTarget } from "../cli-config.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP, requireOptions } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { parseRupiahAmount } from "../rupiah-amount.ts";

// A Xendit bank name (BCA, MANDIRI, BCA_SYR) or a 3-digit Bank Indonesia code (014). Which banks
// exist is the adapter's table; this only catches what cannot be a code at all.
const BANK_CODE = /^[A-Za-z][A-Za-z0-9_]{1,29}$|^\d{3}$/;
// The router's own shape check; the adapter then applies each bank's exact length.
const ACCOUNT_NUMBER = /^\d{5,20}$/;

/**
 * `paymesh pay transfer`: pays rupiah out to an Indonesian bank account through the router (a
 * disbursement). There is no customer step: the payment is PROCESSING until the bank answers.
 */
export const payTransferCommand: Command = {
  help: `Usage: paymesh pay transfer --amount <rupiah> --bank <code> --account <number> --name <holder>
         [options]

Calls PaymentService.CreatePayment on the router for a bank transfer (payout) in IDR and prints
the Payment as JSON. It stays PROCESSING until the bank network completes or fails it.

Options:
  --amount <rupiah>        required; whole rupiah (Xendit takes no cents), Rp10000 to Rp100000000
  --bank <code>            required; a Xendit bank name (BCA, BNI, BRI, MANDIRI, PERMATA, CIMB, BSI,
                           …) or a Bank Indonesia code (014 is BCA)
  --account <number>       required; the account number, 5 to 20 digits (BCA, BNI, BSI: 10;
                           MANDIRI: 13; BRI: 15)
  --name <holder>          required; the account holder's name
  --description <text>     sent to the bank with the payout
  --key <key>              idempotency key (default: a fresh random UUID). Repeat a key to get
                           the first payment back instead of paying twice
  --reference <ref>        your merchant reference, at most 64 characters
${JSON_OPTION_HELP}
${ROUTER_OPTIONS_HELP}

Example:
  ./run pnpm paymesh pay transfer --amount 150000 --bank BCA --account 1234567890 --name "Siti Rahma"
  ./run pnpm paymesh sandbox complete transfer <payment-id>      # then: the bank completes it`,
  async run({ args, env, print }) {
    const { values } = parseCommandArgs(
      "pay transfer",
      args,
      {
        amount: { type: "string" },
        bank: { type: "string" },
        account: { type: "string" },
        name: { type: "string" },
        description: { type: "string" },
        key: { type: "string" },
        reference: { type: "string" },
        ...JSON_OPTION,
        ...ROUTER_OPTIONS,
      },
      { names: [] },
    );
    const given = requireOptions("pay transfer", values, ["amount", "bank", "account", "name"]);
    const minorUnits = parseRupiahAmount(given.amount);
    if (!BANK_CODE.test(given.bank)) {
      throw new CliError(
        `--bank ${JSON.stringify(given.bank)} is not a bank code; give a Xendit name like BCA or a Bank Indonesia code like 014`,
      );
    }
    if (!ACCOUNT_NUMBER.test(given.account)) {
      throw new CliError(
        `--account ${JSON.stringify(given.account)} must be 5 to 20 digits, no spaces or dashes`,
      );
    }
    if (given.name.trim() === "") throw new CliError("--name is empty; give the account holder's name");
    const { createPayment, paymentJson } = await import("../payment-client.ts");
    const payment = await createPayment(resolveRouterTarget(values, env), {
      idempotencyKey: values.key ?? randomUUID(),
      amount: { currency: "IDR", minorUnits },
      method: {
        case: "bankTransfer",
        value: { bankCode: given.bank, accountNumber: given.account, accountHolderName: given.name },
      },
      merchantReference: values.reference ?? "",
      description: values.description ?? "",
    });
    print(paymentJson(payment));
    return 0;
  },
};
