// Wise's wire shapes: what the adapter sends and the parts of the answers it reads. JSON numbers
// arrive as their exact decimal text (the kit's parseExactJson), so every amount, rate and id below
// is a string; amounts leave as bare JSON numbers written from decimal text (jsonNumber).
import { createHash } from "node:crypto";
import {
  GrpcCode,
  isRecord,
  type JsonRecord,
  jsonNumber,
  PaymeshError,
  parseDecimalAmount,
} from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";

/** `paymentOptions[].fee`: Wise's fee, itemized, in the source currency. */
export interface WiseFee {
  transferwise: string;
  payIn: string;
  discount: string;
  partner: string;
  total: string;
}

/** One way to pay for a quote (`BALANCE`, `BANK_TRANSFER`, …) with its amounts and fee. */
export interface WisePaymentOption {
  payIn: string;
  disabled: boolean;
  sourceAmount: string;
  targetAmount: string;
  fee: WiseFee;
}

/** A v3 quote. */
export interface WiseQuote {
  id: string;
  sourceCurrency: string;
  targetCurrency: string;
  rate: string;
  rateType: string;
  /** ISO 8601; the rate is guaranteed until then. */
  rateExpirationTime: string;
  /** PENDING, ACCEPTED (a transfer uses it), FUNDED, EXPIRED. */
  status: string;
  paymentOptions: WisePaymentOption[];
}

/** A recipient account. */
export interface WiseRecipient {
  id: string;
  currency: string;
  type: string;
}

/** A v1 transfer. */
export interface WiseTransfer {
  id: string;
  /** The Wise state, e.g. `incoming_payment_waiting`, `outgoing_payment_sent`. */
  status: string;
  targetAccount: string;
  quoteUuid: string;
  sourceCurrency: string;
  sourceValue: string;
  targetCurrency: string;
  targetValue: string;
  /** Echoed by Wise (*unconfirmed* that every answer carries it); empty when absent. */
  customerTransactionId: string;
}

/** The answer to funding a transfer: `COMPLETED`, or `REJECTED` with an `errorCode`. */
export interface WiseFunding {
  type: string;
  status: string;
  errorCode: string;
}

/** A multi-currency balance. */
export interface WiseBalance {
  id: string;
  currency: string;
}

/** One entry of Wise's error list. */
export interface WiseErrorItem {
  code: string;
  message: string;
  /** The field at fault, in Wise's names ("accountNumber", "quoteUuid", "details.reference"). */
  path: string | undefined;
}

// ---- request bodies ----

/** `POST /v3/profiles/{pid}/quotes`: exactly one of the amounts, as decimal text at its exponent. */
export function quoteBody(input: {
  sourceCurrency: string;
  targetCurrency: string;
  sourceAmount?: string | undefined;
  targetAmount?: string | undefined;
}): JsonRecord {
  return {
    sourceCurrency: input.sourceCurrency,
    targetCurrency: input.targetCurrency,
    ...(input.sourceAmount === undefined ? {} : { sourceAmount: jsonNumber(input.sourceAmount) }),
    ...(input.targetAmount === undefined ? {} : { targetAmount: jsonNumber(input.targetAmount) }),
    payOut: "BANK_TRANSFER",
    preferredPayIn: "BALANCE",
  };
}

/** `POST /v1/accounts`: a recipient someone else owns, under our profile (a JSON number). */
export function recipientBody(
  profileId: string,
  input: {
    currency: string;
    type: string;
    accountHolderName: string;
    details: Readonly<Record<string, string>>;
  },
): JsonRecord {
  return {
    currency: input.currency,
    type: input.type,
    profile: jsonNumber(profileId),
    accountHolderName: input.accountHolderName,
    ownedByCustomer: false,
    details: { ...input.details },
  };
}

/** `POST /v1/transfers`: the recipient id goes out as the JSON number Wise gave it. */
export function transferBody(input: {
  targetAccount: string;
  quoteUuid: string;
  customerTransactionId: string;
  reference: string;
}): JsonRecord {
  return {
    targetAccount: jsonNumber(input.targetAccount),
    quoteUuid: input.quoteUuid,
    customerTransactionId: input.customerTransactionId,
    details: { reference: input.reference },
  };
}

/**
 * Paymesh's namespace for Wise customerTransactionIds. Never change it: every payment's
 * provider-side idempotency key is derived from it, and a new namespace would let a retried
 * payment create a second transfer.
 */
const NAMESPACE = "2dc42735-4b09-4177-8744-447d18e08860";

/**
 * The customerTransactionId for a payment: an RFC 4122 version 5 UUID (SHA-1 over namespace and
 * payment id). Wise requires a UUID there and answers a repeated one with the transfer it already
 * made, so the same payment id can never create two transfers.
 */
export function customerTransactionId(paymentId: string): string {
  const namespace = Buffer.from(NAMESPACE.replaceAll("-", ""), "hex");
  const hash = createHash("sha1").update(namespace).update(paymentId, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---- answer readers ----

/**
 * How a reader reports an answer without the fields the adapter relies on; the client turns it
 * into the kit's malformedAnswer, so the outcome is unknown rather than a guessed success.
 */
export type Fail = (why: string) => never;

function text(record: JsonRecord, key: string, fail: Fail): string {
  const value = record[key];
  return typeof value === "string" && value !== "" ? value : fail(`answer lacks ${key}`);
}

function optionalText(record: JsonRecord, key: string): string {
  const value = record[key];
  return typeof value === "string" ? value : "";
}

function object(value: unknown, what: string, fail: Fail): JsonRecord {
  return isRecord(value) ? value : fail(`${what} is not an object`);
}

function list(value: unknown, what: string, fail: Fail): unknown[] {
  return Array.isArray(value) ? value : fail(`${what} is not a list`);
}

function readOption(value: unknown, fail: Fail): WisePaymentOption {
  const option = object(value, "paymentOptions[]", fail);
  const fee = object(option.fee, "paymentOptions[].fee", fail);
  const part = (key: string) => optionalText(fee, key) || "0";
  return {
    payIn: text(option, "payIn", fail),
    disabled: option.disabled === true,
    sourceAmount: text(option, "sourceAmount", fail),
    targetAmount: text(option, "targetAmount", fail),
    fee: {
      transferwise: part("transferwise"),
      payIn: part("payIn"),
      discount: part("discount"),
      partner: part("partner"),
      total: text(fee, "total", fail),
    },
  };
}

/** A v3 quote answer. */
export function readQuote(value: unknown, fail: Fail): WiseQuote {
  const record = object(value, "answer", fail);
  return {
    id: text(record, "id", fail),
    sourceCurrency: text(record, "sourceCurrency", fail),
    targetCurrency: text(record, "targetCurrency", fail),
    rate: text(record, "rate", fail),
    rateType: optionalText(record, "rateType"),
    rateExpirationTime: text(record, "rateExpirationTime", fail),
    status: optionalText(record, "status"),
    paymentOptions: list(record.paymentOptions, "paymentOptions", fail).map((item) => readOption(item, fail)),
  };
}

/** A recipient account answer. */
export function readRecipient(value: unknown, fail: Fail): WiseRecipient {
  const record = object(value, "answer", fail);
  return {
    id: text(record, "id", fail),
    currency: text(record, "currency", fail),
    type: text(record, "type", fail),
  };
}

/** A transfer answer, or one item of the transfer list. */
export function readTransfer(value: unknown, fail: Fail): WiseTransfer {
  const record = object(value, "answer", fail);
  return {
    id: text(record, "id", fail),
    status: text(record, "status", fail),
    targetAccount: optionalText(record, "targetAccount"),
    quoteUuid: optionalText(record, "quoteUuid"),
    sourceCurrency: text(record, "sourceCurrency", fail),
    sourceValue: text(record, "sourceValue", fail),
    targetCurrency: text(record, "targetCurrency", fail),
    targetValue: text(record, "targetValue", fail),
    customerTransactionId: optionalText(record, "customerTransactionId"),
  };
}

/** A funding answer. */
export function readFunding(value: unknown, fail: Fail): WiseFunding {
  const record = object(value, "answer", fail);
  return {
    type: text(record, "type", fail),
    status: text(record, "status", fail),
    errorCode: optionalText(record, "errorCode"),
  };
}

/** A balance. */
export function readBalance(value: unknown, fail: Fail): WiseBalance {
  const record = object(value, "list item", fail);
  return { id: text(record, "id", fail), currency: text(record, "currency", fail) };
}

/** A list answer (transfers, balances): the body is a JSON array of `read` items. */
export function readList<T>(read: (value: unknown, fail: Fail) => T) {
  return (value: unknown, fail: Fail): T[] =>
    list(value, "answer", fail).map((item) => read(object(item, "list item", fail), fail));
}

/**
 * A balance statement's transactions, raw: each is read on its own (wise-settlements.ts), so one
 * line Wise wrote oddly is one unreadable line, not a failed report.
 */
export function readStatement(value: unknown, fail: Fail): JsonRecord[] {
  const record = object(value, "answer", fail);
  return list(record.transactions, "transactions", fail).map((item) => object(item, "transaction", fail));
}

/**
 * Wise's error answers as a list: `{"errors":[{code,message,path}]}`, the OAuth2 style
 * `{"error","error_description"}` of a refused token, or nothing recognizable (an HTML page from a
 * gateway), which is an empty list.
 */
export function readErrors(value: unknown): WiseErrorItem[] {
  if (!isRecord(value)) return [];
  if (Array.isArray(value.errors)) {
    return value.errors.filter(isRecord).map((entry) => ({
      code: optionalText(entry, "code"),
      message: optionalText(entry, "message"),
      path: optionalText(entry, "path") || undefined,
    }));
  }
  if (typeof value.error === "string") {
    return [{ code: value.error, message: optionalText(value, "error_description"), path: undefined }];
  }
  return [];
}

/**
 * Minor units from a Wise amount. An amount Wise wrote with more decimals than the currency has is
 * a malformed answer (PROVIDER_ERROR), not the caller's invalid input.
 */
export function minorUnits(value: string, currency: string): bigint {
  try {
    return parseDecimalAmount(value, currency);
  } catch (error) {
    throw new PaymeshError(
      ErrorReason.PROVIDER_ERROR,
      `Wise answered an unusable ${currency} amount "${value}"`,
      {
        code: GrpcCode.INTERNAL,
        cause: error,
      },
    );
  }
}
