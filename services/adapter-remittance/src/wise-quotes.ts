import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  currencyExponent,
  formatMinorUnits,
  GrpcCode,
  invalidField,
  missingField,
  PaymeshError,
  type ProviderExchangeInit,
  reportUnknownProviderValue,
  validateMoney,
} from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason } from "@paymesh/proto";
import type { WiseClient } from "./wise-client.ts";
import { recorded, wiseError } from "./wise-error-map.ts";
import { minorUnits, type WisePaymentOption, type WiseQuote } from "./wise-wire.ts";

type CreateQuoteResponseInit = MessageInitShape<typeof adapterv1.CreateQuoteResponseSchema>;
type QuoteInit = NonNullable<CreateQuoteResponseInit["quote"]>;

/** Which currencies and amounts the adapter sends from (its Describe answer). */
export interface SourceRules {
  currencies: readonly string[];
  limits: readonly { currency: string; minMinorUnits: bigint; maxMinorUnits: bigint }[];
}

function currency(value: string, field: string): string {
  if (!/^[A-Z]{3}$/.test(value)) throw invalidField(field, `"${value}" is not an ISO 4217 code`);
  if (currencyExponent(value) === undefined) {
    throw invalidField(field, `${value} is not supported`, ErrorReason.CURRENCY_NOT_SUPPORTED);
  }
  return value;
}

/**
 * The payment option the adapter pays with. It funds every transfer from the Wise balance, so the
 * BALANCE option's amounts and fee are the ones that apply; the first enabled option otherwise.
 */
export function balanceOption(quote: WiseQuote): WisePaymentOption {
  const enabled = quote.paymentOptions.filter((option) => !option.disabled);
  const option = enabled.find((candidate) => candidate.payIn === "BALANCE") ?? enabled[0];
  if (option === undefined) {
    throw new PaymeshError(
      ErrorReason.PROVIDER_ERROR,
      `Wise quote ${quote.id} has no usable payment option`,
      {
        code: GrpcCode.INTERNAL,
      },
    );
  }
  return option;
}

/**
 * A Wise quote as a Paymesh Quote: amounts at each currency's exponent, the rate as Wise's exact
 * decimal text, the fee itemized from `fee` (discount as a negative item, so the items add up to
 * `total`), and the rate lock's end as `expires_at`.
 */
export function quoteFromWise(quote: WiseQuote): QuoteInit {
  const option = balanceOption(quote);
  const source = (value: string) => ({
    currency: quote.sourceCurrency,
    minorUnits: minorUnits(value, quote.sourceCurrency),
  });
  const parts: Array<[string, bigint]> = [
    ["transferwise", source(option.fee.transferwise).minorUnits],
    ["payIn", source(option.fee.payIn).minorUnits],
    ["partner", source(option.fee.partner).minorUnits],
    ["discount", -source(option.fee.discount).minorUnits],
  ];
  const expires = new Date(quote.rateExpirationTime);
  return {
    id: quote.id,
    providerReference: quote.id,
    sourceAmount: source(option.sourceAmount),
    targetAmount: {
      currency: quote.targetCurrency,
      minorUnits: minorUnits(option.targetAmount, quote.targetCurrency),
    },
    rate: quote.rate,
    fees: parts
      .filter(([, amount]) => amount !== 0n)
      .map(([type, amount]) => ({ type, amount: { currency: quote.sourceCurrency, minorUnits: amount } })),
    ...(Number.isNaN(expires.getTime()) ? {} : { expiresAt: timestampFromDate(expires) }),
  };
}

/**
 * CreateQuote: checks the request (the router checks too, but an adapter trusts no caller), asks
 * Wise for a quote, and maps it. A route Wise does not serve comes back as CURRENCY_NOT_SUPPORTED
 * naming the currency field (see wise-error-map.ts). Quoting moves no money, so a lost answer is
 * plain UNAVAILABLE: the caller may simply ask again.
 */
export async function createRemittanceQuote(
  client: WiseClient,
  request: adapterv1.CreateQuoteRequest,
  rules: SourceRules,
  signal: AbortSignal,
): Promise<CreateQuoteResponseInit> {
  const sourceCurrency = currency(request.sourceCurrency, "source_currency");
  const targetCurrency = currency(request.targetCurrency, "target_currency");
  if (!rules.currencies.includes(sourceCurrency)) {
    throw invalidField(
      "source_currency",
      `sending from ${sourceCurrency} is not supported`,
      ErrorReason.CURRENCY_NOT_SUPPORTED,
    );
  }
  if (request.amount.case === undefined) throw missingField("amount");
  const field = request.amount.case === "sourceAmount" ? "source_amount" : "target_amount";
  const money = validateMoney(request.amount.value, field);
  const expected = request.amount.case === "sourceAmount" ? sourceCurrency : targetCurrency;
  if (money.currency !== expected) throw invalidField(`${field}.currency`, `must be ${expected}`);
  const limit = rules.limits.find((candidate) => candidate.currency === sourceCurrency);
  if (
    field === "source_amount" &&
    limit !== undefined &&
    (money.minorUnits < limit.minMinorUnits || money.minorUnits > limit.maxMinorUnits)
  ) {
    throw invalidField(
      "source_amount.minor_units",
      `${money.minorUnits} is outside ${limit.minMinorUnits}..${limit.maxMinorUnits} ${sourceCurrency}`,
      ErrorReason.AMOUNT_OUT_OF_RANGE,
    );
  }
  const decimal = formatMinorUnits(money.minorUnits, money.currency);
  const exchanges: ProviderExchangeInit[] = [];
  const answer = await recorded(exchanges, () =>
    client.createQuote({
      sourceCurrency,
      targetCurrency,
      ...(field === "source_amount" ? { sourceAmount: decimal } : { targetAmount: decimal }),
      signal,
    }),
  );
  if (!answer.ok) throw wiseError("createQuote", answer);
  return { quote: quoteFromWise(answer.body), exchanges };
}

const QUOTE_STATUSES: ReadonlySet<string> = new Set(["PENDING", "ACCEPTED", "FUNDED", "EXPIRED"]);

/**
 * The payment must be exactly what the quote priced: its amount is the quote's source amount (of
 * the BALANCE option, which the adapter pays with), the recipient is in the target currency, and
 * an unused quote's rate is still locked. A quote a transfer already uses (ACCEPTED, FUNDED) is
 * not checked for expiry: that transfer may be this payment's, and Wise answers it by
 * customerTransactionId.
 */
export function checkAgainstQuote(
  quote: WiseQuote,
  payment: { amount: { currency: string; minorUnits: bigint }; recipient: { currency: string } },
  now: Date,
): void {
  if (payment.amount.currency !== quote.sourceCurrency) {
    throw invalidField("amount.currency", `must be the quote's source currency ${quote.sourceCurrency}`);
  }
  const expected = minorUnits(balanceOption(quote).sourceAmount, quote.sourceCurrency);
  if (payment.amount.minorUnits !== expected) {
    throw invalidField(
      "amount",
      `must equal the quote's source amount ${expected} ${quote.sourceCurrency} minor units (got ${payment.amount.minorUnits})`,
    );
  }
  if (payment.recipient.currency !== quote.targetCurrency) {
    throw invalidField(
      "remittance.recipient.currency",
      `must be the quote's target currency ${quote.targetCurrency}`,
    );
  }
  const lockEnds = new Date(quote.rateExpirationTime).getTime();
  // Wise's quote statuses (API reference, "Quote"): PENDING, ACCEPTED, FUNDED, EXPIRED. Another word
  // is reported; it is judged only by the rate lock, like an unused quote.
  if (quote.status !== "" && !QUOTE_STATUSES.has(quote.status)) {
    reportUnknownProviderValue({ adapter: "adapter-remittance", field: "quote.status", value: quote.status });
  }
  const unused = quote.status === "PENDING" || quote.status === "" || !QUOTE_STATUSES.has(quote.status);
  if (quote.status === "EXPIRED" || (unused && now.getTime() >= lockEnds)) {
    throw new PaymeshError(
      ErrorReason.QUOTE_EXPIRED,
      `remittance.quote_id: quote ${quote.id} has expired; create a new quote`,
      {
        field: "remittance.quote_id",
        providerCode: "EXPIRED",
      },
    );
  }
}
