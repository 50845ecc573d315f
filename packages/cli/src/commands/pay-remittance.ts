import { randomUUID } from "node:crypto";
import { ROUTER_OPTIONS, ROUTER_OPTIONS_HELP, resolveRouterTarget } from "../cli-config.ts";
import { CliError, usageError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { helpHint, JSON_OPTION, JSON_OPTION_HELP, requireOptions } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { RECIPIENT_EXAMPLES } from "../remittance-recipients.ts";

// Wise's type names are lower snake case ("sort_code", "iban", "aba"); which exist is Wise's call.
const RECIPIENT_TYPE = /^[a-z][a-z0-9_]{1,39}$/;
// Wise's details field names are identifiers ("sortCode", "IBAN", "abartn", "address.city").
const DETAIL_KEY = /^[A-Za-z][A-Za-z0-9_.]{0,63}$/;

const EXAMPLES = Object.entries(RECIPIENT_EXAMPLES)
  .map(
    ([currency, example]) =>
      `  ${currency}  ${example.type.padEnd(12)}${Object.keys(example.details).join(", ")}`,
  )
  .join("\n");

const HELP = `Usage: paymesh pay remittance --quote <quote-id> --amount <decimal> --currency <currency>
         --recipient-currency <currency> --recipient-type <type> --holder <name>
         --detail <key>=<value> [--detail <key>=<value> …] [options]

Calls PaymentService.CreatePayment on the router for a cross-border transfer at a quote's locked
rate (make one with "paymesh quote"), and prints the Payment as JSON. The provider funds it from
its balance, so it is PROCESSING until the money arrives.

Options:
  --quote <quote-id>       required; the id "paymesh quote" printed
  --amount <decimal>       required; the quote's source amount, exactly as "paymesh quote" prints
                           it, at most the currency's decimals: 1500000.00 IDR, 100.50 USD
  --currency <currency>    required; the quote's source currency (IDR, SGD or USD)
  --recipient-currency <currency>
                           required; the quote's target currency, which the account holds
  --recipient-type <type>  required; the account type as the provider names it (see below)
  --holder <name>          required; the account holder's full name
  --detail <key>=<value>   required; one account field by the provider's name; repeat for each
  --reference <text>       shown to the recipient (Wise: at most 35 characters)
  --key <key>              idempotency key (default: a fresh random UUID)
${JSON_OPTION_HELP}
${ROUTER_OPTIONS_HELP}

Recipient types and their details in the Wise simulator, by account currency (sort_code, iban,
aba and australian are Wise's names; the simulator's README has the formats):
${EXAMPLES}
An account number ending 9001, 9002 or 9003 makes the simulator refund, bounce back or charge back
the transfer instead of paying it out.

Example:
  ./run pnpm paymesh quote --from IDR --to GBP --amount 1500000
  ./run pnpm paymesh pay remittance --quote <quote-id> --amount 1500000.00 --currency IDR \\
    --recipient-currency GBP --recipient-type sort_code --holder "Ann Smith" \\
    --detail sortCode=040075 --detail accountNumber=37778842 --reference INV-7
  ./run pnpm paymesh sandbox advance remittance <payment-id>      # then: Wise pays it out`;

/**
 * `paymesh pay remittance`: sends money abroad at a quote's locked rate. The recipient is passed
 * through as the provider names its fields, so a new account type needs no CLI change.
 */
export const payRemittanceCommand: Command = {
  help: HELP,
  async run({ args, env, print }) {
    const { values } = parseCommandArgs(
      "pay remittance",
      args,
      {
        quote: { type: "string" },
        amount: { type: "string" },
        currency: { type: "string" },
        "recipient-currency": { type: "string" },
        "recipient-type": { type: "string" },
        holder: { type: "string" },
        detail: { type: "string", multiple: true },
        reference: { type: "string" },
        key: { type: "string" },
        ...JSON_OPTION,
        ...ROUTER_OPTIONS,
      },
      { names: [] },
    );
    const given = requireOptions("pay remittance", values, [
      "quote",
      "amount",
      "currency",
      "recipient-currency",
      "recipient-type",
      "holder",
      "detail",
    ]);
    const { parseCurrency, parseCurrencyAmount } = await import("../currency-amount.ts");
    const currency = parseCurrency(given.currency, "--currency");
    const minorUnits = parseCurrencyAmount(given.amount, currency);
    const recipientCurrency = parseCurrency(given["recipient-currency"], "--recipient-currency");
    const type = given["recipient-type"];
    if (!RECIPIENT_TYPE.test(type)) {
      throw new CliError(
        `--recipient-type ${JSON.stringify(type)} is not a recipient type; use the provider's name, e.g. sort_code, iban, aba`,
      );
    }
    if (given.holder.trim() === "")
      throw new CliError("--holder is empty; give the account holder's full name");
    const details = parseDetails(given.detail);
    const { createPayment, paymentJson } = await import("../payment-client.ts");
    const payment = await createPayment(resolveRouterTarget(values, env), {
      idempotencyKey: values.key ?? randomUUID(),
      amount: { currency, minorUnits },
      method: {
        case: "remittance",
        value: {
          quoteId: given.quote,
          recipient: {
            currency: recipientCurrency,
            type,
            accountHolderName: given.holder,
            details,
          },
          reference: values.reference ?? "",
        },
      },
    });
    print(paymentJson(payment));
    return 0;
  },
};

// "--detail sortCode=040075" → {sortCode: "040075"}. Only the first "=" splits, so values may hold one.
function parseDetails(entries: readonly string[]): Record<string, string> {
  const details: Record<string, string> = {};
  for (const entry of entries) {
    const equals = entry.indexOf("=");
    const key = equals === -1 ? entry : entry.slice(0, equals);
    if (equals === -1 || !DETAIL_KEY.test(key)) {
      throw usageError(
        `pay remittance: --detail ${JSON.stringify(entry)} is not <key>=<value>, e.g. --detail sortCode=040075`,
        helpHint("pay remittance"),
      );
    }
    if (Object.hasOwn(details, key)) {
      throw usageError(`pay remittance: --detail ${key} given twice`, helpHint("pay remittance"));
    }
    const value = entry.slice(equals + 1);
    if (value.trim() === "") throw new CliError(`--detail ${key} is empty`);
    details[key] = value;
  }
  return details;
}
