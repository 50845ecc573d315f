import { toJson } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { currencyExponent, formatMinorUnits } from "@paymesh/adapter-kit";
import { type Money, type Quote, QuoteSchema } from "@paymesh/proto";
import { ROUTER_OPTIONS, ROUTER_OPTIONS_HELP, resolveRouterTarget } from "../cli-config.ts";
import { usageError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { formatMoney, parseCurrency, parseCurrencyAmount } from "../currency-amount.ts";
import { helpHint, requireOptions } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { withPaymentClient } from "../payment-client.ts";
import { recipientExample, recipientOptions } from "../remittance-recipients.ts";

/**
 * `paymesh quote`: locks an exchange rate for a remittance (CreateQuote). A remittance is always paid
 * at a quote's rate, so this is the first step of `pay remittance`, and it prints that command with
 * the quote's id and amounts filled in.
 */
export const quoteCommand: Command = {
  path: ["quote"],
  summary: "Lock an exchange rate for a remittance (CreateQuote) and print the quote",
  help: `Usage: paymesh quote --from <currency> --to <currency> --amount <decimal> [options]
       paymesh quote --from <currency> --to <currency> --target-amount <decimal> [options]

Calls PaymentService.CreateQuote on the router. Prints the quote: its id (for pay remittance), the
amount sent and received, the rate as the provider's exact decimal, the fees (in the source
currency) and when the locked rate expires. Amounts are written at each currency's ISO 4217
exponent: 1500000.00 IDR, 75.52 GBP, 10000 JPY (no decimals).

Options:
  --from <currency>        required; what the sender pays in: IDR, SGD or USD
  --to <currency>          required; what the recipient gets, e.g. GBP, EUR, USD, AUD, SGD, JPY
  --amount <decimal>       how much is sent, in --from; the fee comes off it
  --target-amount <decimal>
                           or: how much must arrive, in --to; the fee is added on top
  --json                   print the Quote as proto3 JSON instead
${ROUTER_OPTIONS_HELP}

Example:
  pnpm paymesh quote --from IDR --to GBP --amount 1500000
  pnpm paymesh quote --from USD --to JPY --target-amount 10000`,
  async run({ args, env, print }) {
    const { values } = parseCommandArgs(
      "quote",
      args,
      {
        from: { type: "string" },
        to: { type: "string" },
        amount: { type: "string" },
        "target-amount": { type: "string" },
        json: { type: "boolean" },
        ...ROUTER_OPTIONS,
      },
      { names: [] },
    );
    const given = requireOptions("quote", values, ["from", "to"]);
    const source = values.amount;
    const target = values["target-amount"];
    if ((source === undefined) === (target === undefined)) {
      throw usageError("quote: give exactly one of --amount and --target-amount", helpHint("quote"));
    }
    const sourceCurrency = parseCurrency(given.from, "--from");
    const targetCurrency = parseCurrency(given.to, "--to");
    const amount =
      source !== undefined
        ? ({
            case: "sourceAmount",
            value: { currency: sourceCurrency, minorUnits: parseCurrencyAmount(source, sourceCurrency) },
          } as const)
        : ({
            case: "targetAmount",
            value: {
              currency: targetCurrency,
              minorUnits: parseCurrencyAmount(target ?? "", targetCurrency),
            },
          } as const);
    const quote = await withPaymentClient(
      resolveRouterTarget(values, env),
      async (client, deadline) =>
        (await client.createQuote({ sourceCurrency, targetCurrency, amount }, { deadline })).quote,
    );
    if (quote === undefined) throw new Error("router answered CreateQuote without a quote");
    print(values.json === true ? JSON.stringify(toJson(QuoteSchema, quote), null, 2) : quoteText(quote));
    return 0;
  },
};

function quoteText(quote: Quote): string {
  const row = (label: string, value: string): string => `${label.padEnd(10)}${value}`;
  const fees = quote.fees.map((fee) => row("fee", `${formatMoney(fee.amount)}  (${fee.type})`));
  const expires =
    quote.expiresAt === undefined ? "(not given)" : timestampDate(quote.expiresAt).toISOString();
  const source = quote.sourceAmount;
  const target = quote.targetAmount;
  return [
    row("quote", quote.id),
    row("adapter", quote.adapter),
    row("send", formatMoney(source)),
    row("receive", formatMoney(target)),
    row("rate", `${quote.rate}  (${target?.currency ?? "?"} per ${source?.currency ?? "?"})`),
    ...(fees.length === 0 ? [row("fees", "none")] : fees),
    row("expires", expires),
    "",
    ...payHint(quote.id, source, target?.currency ?? ""),
  ].join("\n");
}

// The next command with the quote's id and source amount filled in: `pay remittance` must repeat
// that amount exactly. The recipient is the simulator's example for the target currency.
function payHint(quoteId: string, source: Money | undefined, targetCurrency: string): string[] {
  if (source === undefined || currencyExponent(source.currency) === undefined) return [];
  const example = recipientExample(targetCurrency);
  const recipient =
    example === undefined
      ? `--recipient-currency ${targetCurrency} --recipient-type <type> --holder "<name>" --detail <key>=<value>`
      : recipientOptions(targetCurrency, example);
  return [
    `Pay it${example === undefined ? "" : " (recipient: an example the simulator accepts)"}:`,
    `  pnpm paymesh pay remittance --quote ${quoteId} --amount ${formatMinorUnits(source.minorUnits, source.currency)} --currency ${source.currency} \\`,
    `    ${recipient}`,
  ];
}
