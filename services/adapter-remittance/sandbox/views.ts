import { formatMinorUnits } from "@paymesh/adapter-kit";
import { exactNumber } from "./exact-numbers.ts";
import {
  quoteStatus,
  type SimPaymentOption,
  type SimQuote,
  type SimRecipient,
  type SimTransfer,
} from "./sim-state.ts";

// The JSON the simulator answers with, in Wise's field names. Amounts are bare JSON numbers written
// at the currency's ISO 4217 exponent (`100.00`, JPY `14962`), never via a float.

/** The simulator's single user id (Wise answers carry `user`). */
export const SIM_USER_ID = 10_000_001;

/** An amount as a JSON number at the currency's exponent. */
export function amountJson(minorUnits: bigint, currency: string): unknown {
  return exactNumber(formatMinorUnits(minorUnits, currency));
}

/** Wise v1 transfer timestamps: "2018-08-28 07:43:55", UTC. */
export function wiseDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** total / source as a 4-decimal fraction, for `feePercentage`. */
function feeFraction(fee: bigint, source: bigint): unknown {
  const scaled = (fee * 10_000n) / source;
  return exactNumber(`${scaled / 10_000n}.${(scaled % 10_000n).toString().padStart(4, "0")}`);
}

function optionView(quote: SimQuote, option: SimPaymentOption, now: Date): Record<string, unknown> {
  const source = (minor: bigint) => amountJson(minor, quote.sourceCurrency);
  const delivery = new Date(now.getTime() + (option.payIn === "BALANCE" ? 1 : 2) * 86_400_000);
  return {
    disabled: false,
    estimatedDelivery: isoSeconds(delivery),
    formattedEstimatedDelivery: `by ${delivery.toISOString().slice(0, 10)}`,
    estimatedDeliveryDelays: [],
    fee: {
      transferwise: source(option.fee.transferwise),
      payIn: source(option.fee.payIn),
      discount: source(option.fee.discount),
      partner: source(option.fee.partner),
      total: source(option.fee.total),
    },
    sourceAmount: source(option.sourceMinorUnits),
    targetAmount: amountJson(option.targetMinorUnits, quote.targetCurrency),
    sourceCurrency: quote.sourceCurrency,
    targetCurrency: quote.targetCurrency,
    payIn: option.payIn,
    payOut: "BANK_TRANSFER",
    allowedProfileTypes: ["PERSONAL", "BUSINESS"],
    payInProduct: option.payIn === "BALANCE" ? "BALANCE" : "CHEAP",
    feePercentage: feeFraction(option.fee.total, option.sourceMinorUnits),
  };
}

/** A v3 quote (`POST`/`GET /v3/profiles/{profileId}/quotes[/{id}]`). */
export function quoteView(quote: SimQuote, now: Date): Record<string, unknown> {
  const first = quote.paymentOptions[0];
  const provided =
    first === undefined
      ? {}
      : quote.providedAmountType === "SOURCE"
        ? { sourceAmount: amountJson(first.sourceMinorUnits, quote.sourceCurrency) }
        : { targetAmount: amountJson(first.targetMinorUnits, quote.targetCurrency) };
  return {
    id: quote.id,
    sourceCurrency: quote.sourceCurrency,
    targetCurrency: quote.targetCurrency,
    ...provided,
    payOut: "BANK_TRANSFER",
    preferredPayIn: "BALANCE",
    rate: exactNumber(quote.rate),
    createdTime: isoSeconds(quote.createdAt),
    user: exactNumber(String(SIM_USER_ID)),
    profile: exactNumber(quote.profileId),
    rateType: "FIXED",
    rateExpirationTime: isoSeconds(quote.rateExpiresAt),
    guaranteedTargetAmountAllowed: true,
    targetAmountAllowed: true,
    guaranteedTargetAmount: false,
    providedAmountType: quote.providedAmountType,
    paymentOptions: quote.paymentOptions.map((option) => optionView(quote, option, now)),
    status: quoteStatus(quote, now),
    expirationTime: isoSeconds(quote.rateExpiresAt),
    notices: [],
  };
}

/** A recipient account (`POST /v1/accounts`). */
export function recipientView(recipient: SimRecipient): Record<string, unknown> {
  return {
    id: exactNumber(String(recipient.id)),
    business: null,
    profile: exactNumber(recipient.profileId),
    accountHolderName: recipient.accountHolderName,
    currency: recipient.currency,
    country: recipient.country,
    type: recipient.type,
    details: recipient.details,
    user: exactNumber(String(SIM_USER_ID)),
    active: true,
    ownedByCustomer: false,
  };
}

/** A v1 transfer (`POST /v1/transfers`, `GET /v1/transfers/{id}`, list and cancel). */
export function transferView(transfer: SimTransfer): Record<string, unknown> {
  return {
    id: exactNumber(String(transfer.id)),
    user: exactNumber(String(SIM_USER_ID)),
    targetAccount: exactNumber(String(transfer.targetAccount)),
    sourceAccount: null,
    quote: null,
    quoteUuid: transfer.quoteUuid,
    status: transfer.state,
    reference: transfer.reference,
    rate: exactNumber(transfer.rate),
    created: wiseDateTime(transfer.createdAt),
    business: null,
    transferRequest: null,
    details: { reference: transfer.reference },
    hasActiveIssues: false,
    sourceCurrency: transfer.sourceCurrency,
    sourceValue: amountJson(transfer.sourceMinorUnits, transfer.sourceCurrency),
    targetCurrency: transfer.targetCurrency,
    targetValue: amountJson(transfer.targetMinorUnits, transfer.targetCurrency),
    customerTransactionId: transfer.customerTransactionId,
  };
}
