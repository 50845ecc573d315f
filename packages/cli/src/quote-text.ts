import { toJson } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { currencyExponent, formatMinorUnits } from "@paymesh/adapter-kit";
import { type Money, type Quote, QuoteSchema } from "@paymesh/proto";
import { formatMoney } from "./currency-amount.ts";
import { recipientExample, recipientOptions } from "./remittance-recipients.ts";

/** The Quote as proto3 JSON, what `paymesh quote --json` prints. */
export function quoteJson(quote: Quote): string {
  return JSON.stringify(toJson(QuoteSchema, quote), null, 2);
}

/** The quote as `paymesh quote` prints it for people, ending with the `pay remittance` to run. */
export function quoteText(quote: Quote): string {
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
    `  ./run pnpm paymesh pay remittance --quote ${quoteId} --amount ${formatMinorUnits(source.minorUnits, source.currency)} --currency ${source.currency} \\`,
    `    ${recipient}`,
  ];
}
