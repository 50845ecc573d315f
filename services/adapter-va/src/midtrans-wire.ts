// The JSON Midtrans Core API speaks, in its own snake_case: the charge body built from a Paymesh
// request (checked against Midtrans's rules first, so bad input names the Paymesh field before
// anything is sent), and the checks an answer passes before code reads it as a transaction.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import {
  invalidField,
  type JsonRecord,
  jsonObject,
  malformedAnswer,
  missingField,
  type ProviderAnswer,
} from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason, VirtualAccountBank } from "@paymesh/proto";
import {
  CUSTOM_VA_LENGTHS,
  MIDTRANS_BANKS,
  type MidtransBank,
  PERMATA_NAME_MAX,
  type VaNumberFields,
} from "./midtrans-banks.ts";
import { formatOrderTime } from "./midtrans-time.ts";

/** `POST /v2/charge` body for a `bank_transfer` VA. */
export interface ChargeRequest {
  payment_type: "bank_transfer";
  /** `gross_amount` in whole rupiah: Midtrans takes IDR without decimals. */
  transaction_details: { order_id: string; gross_amount: number };
  bank_transfer: { bank: MidtransBank; va_number?: string; permata?: { recipient_name: string } };
  customer_details?: { first_name: string };
  /** Midtrans's documented custom_expiry object. */
  custom_expiry?: { order_time: string; expiry_duration: number; unit: "minute" };
}

/** A transaction as charge, status, cancel and notifications describe it. */
export interface MidtransTransaction extends VaNumberFields {
  status_code: string;
  status_message?: string;
  transaction_id: string;
  order_id: string;
  /** "25000.00". */
  gross_amount: string;
  transaction_status: string;
  currency?: string;
  payment_type?: string;
  transaction_time?: string;
  settlement_time?: string;
  expiry_time?: string;
  fraud_status?: string;
  signature_key?: string;
}

/**
 * One page of the settlement report (the simulator's; Midtrans has no such API). Records stay
 * raw JSON: each is read on its own (midtrans-settlements.ts), so one bad record is one unreadable
 * line, not a failed report.
 */
export interface SettlementPage {
  batchId: string;
  records: JsonRecord[];
  nextCursor: string | undefined;
  /** The report's trailer, on its last page. */
  summary: JsonRecord | undefined;
  /**
   * How many records the whole report holds (`total_count`), when the page says; for progress
   * only, so a value that is not a count is taken as not said rather than refused.
   */
  totalCount: number | undefined;
}

// Midtrans order_id: up to 50 letters, digits, dash, underscore, tilde or dot. Paymesh ids fit.
const ORDER_ID = /^[A-Za-z0-9\-_~.]{1,50}$/;

/**
 * The charge for a CreatePayment, or INVALID_ARGUMENT naming the Paymesh field Midtrans would
 * refuse. The order_id is the payment id itself: Midtrans's duplicate-order_id refusal is then
 * the provider-side idempotency key.
 */
export function buildChargeRequest(request: adapterv1.CreatePaymentRequest, now: Date): ChargeRequest {
  if (request.method.case !== "virtualAccount") {
    throw invalidField(
      "method",
      "this adapter serves virtual account payments only",
      ErrorReason.METHOD_NOT_SUPPORTED,
    );
  }
  const method = request.method.value;
  if (method.bank === VirtualAccountBank.UNSPECIFIED) throw missingField("virtual_account.bank");
  const bank = MIDTRANS_BANKS.get(method.bank);
  if (bank === undefined) {
    const why = `bank ${method.bank} is not supported`;
    throw invalidField("virtual_account.bank", why, ErrorReason.BANK_NOT_SUPPORTED);
  }
  if (!ORDER_ID.test(request.paymentId)) {
    throw invalidField(
      "payment_id",
      "must be 1–50 letters, digits, '-', '_', '~' or '.' (Midtrans order_id)",
    );
  }
  const minorUnits = request.amount?.minorUnits ?? 0n;
  // IDR has exponent 2, but Midtrans takes whole rupiah: cents cannot be charged, only lost.
  if (minorUnits % 100n !== 0n) {
    throw invalidField("amount.minor_units", "Midtrans charges whole rupiah; the amount has non-zero cents");
  }
  // JSON numbers are doubles: refuse, rather than round, what a double cannot hold exactly.
  if (minorUnits <= 0n || minorUnits / 100n > BigInt(Number.MAX_SAFE_INTEGER)) {
    const why = "must be a positive amount Midtrans can carry";
    throw invalidField("amount.minor_units", why, ErrorReason.AMOUNT_OUT_OF_RANGE);
  }
  const customVa = method.customVaNumber;
  const lengths = CUSTOM_VA_LENGTHS[bank];
  if (customVa !== "" && (!/^\d+$/.test(customVa) || !lengths.includes(customVa.length))) {
    const why = `must be ${describeLengths(lengths)} digits for ${bank.toUpperCase()}`;
    throw invalidField("virtual_account.custom_va_number", why);
  }
  const name = method.customerName.trim();
  const nameMax = bank === "permata" ? PERMATA_NAME_MAX : 255;
  if (name.length > nameMax) {
    const why = `must be at most ${nameMax} characters for ${bank.toUpperCase()}`;
    throw invalidField("virtual_account.customer_name", why);
  }
  const charge: ChargeRequest = {
    payment_type: "bank_transfer",
    transaction_details: { order_id: request.paymentId, gross_amount: Number(minorUnits / 100n) },
    bank_transfer: {
      bank,
      ...(customVa === "" ? {} : { va_number: customVa }),
      ...(bank === "permata" && name !== "" ? { permata: { recipient_name: name.toUpperCase() } } : {}),
    },
    ...(name === "" ? {} : { customer_details: { first_name: name } }),
  };
  if (request.expiresAt !== undefined) {
    charge.custom_expiry = customExpiry(timestampDate(request.expiresAt), now);
  }
  return charge;
}

/**
 * `custom_expiry` ending exactly at `expiresAt` (to the second): whole minutes, counted from an
 * order_time set back by the rounding. Minutes are a unit Midtrans documents; that it accepts an
 * order_time slightly in the past is *unconfirmed* (without custom_expiry the default is 24 h).
 */
function customExpiry(expiresAt: Date, now: Date): NonNullable<ChargeRequest["custom_expiry"]> {
  const end = Math.floor(expiresAt.getTime() / 1000) * 1000;
  if (end <= now.getTime()) throw invalidField("expires_at", "must be in the future");
  const minutes = Math.ceil((end - now.getTime()) / 60_000);
  return {
    order_time: formatOrderTime(new Date(end - minutes * 60_000)),
    expiry_duration: minutes,
    unit: "minute",
  };
}

function describeLengths(lengths: readonly number[]): string {
  const first = lengths[0] ?? 0;
  const last = lengths[lengths.length - 1] ?? 0;
  const contiguous = lengths.length > 2 && last - first === lengths.length - 1;
  return contiguous ? `${first}–${last}` : lengths.join(" or ");
}

/**
 * An answer's body, or the kit's malformed answer when it is not a JSON object. Fields Midtrans
 * sends as null are dropped: absent is what the typed shapes expect.
 */
export function answerRecord(answer: ProviderAnswer<string>): JsonRecord {
  return Object.fromEntries(Object.entries(jsonObject(answer)).filter(([, field]) => field !== null));
}

/** The body's `status_code`: three digits, sent as a string (a number is tolerated). */
export function statusCodeOf(record: JsonRecord): string | undefined {
  const raw = record.status_code;
  const code = typeof raw === "number" ? String(raw) : raw;
  return typeof code === "string" && /^\d{3}$/.test(code) ? code : undefined;
}

/** Reads the expected body out of an answer's record; undefined when the record is an error body. */
export type AnswerReader<T> = (
  record: JsonRecord,
  statusCode: string,
  answer: ProviderAnswer<string>,
) => T | undefined;

const TRANSACTION_STRINGS = ["transaction_id", "order_id", "gross_amount", "transaction_status"] as const;
const OPTIONAL_STRINGS = [
  "status_message",
  "currency",
  "payment_type",
  "transaction_time",
  "settlement_time",
  "expiry_time",
  "fraud_status",
  "permata_va_number",
  "signature_key",
] as const;

/**
 * The transaction in an answer, or undefined when the answer is not about one (an error body).
 * Having `transaction_status` is what makes it one, not the status_code: an expired VA's status
 * is status_code 407 with a full transaction, an expected answer.
 */
export const readTransaction: AnswerReader<MidtransTransaction> = (record, statusCode, answer) => {
  if (record.transaction_status === undefined) return undefined;
  const malformed = (why: string) => malformedAnswer(answer, `${why} (HTTP ${answer.status})`);
  for (const name of TRANSACTION_STRINGS) {
    if (typeof record[name] !== "string" || record[name] === "") throw malformed(`lacks ${name}`);
  }
  for (const name of OPTIONAL_STRINGS) {
    if (record[name] !== undefined && typeof record[name] !== "string") {
      throw malformed(`field ${name} is not a string`);
    }
  }
  if (!/^\d+(\.\d{1,2})?$/.test(String(record.gross_amount))) {
    throw malformed("field gross_amount is not a decimal amount");
  }
  const vaNumbers = record.va_numbers;
  const isVaNumber = (entry: unknown) =>
    typeof entry === "object" &&
    entry !== null &&
    "bank" in entry &&
    typeof entry.bank === "string" &&
    "va_number" in entry &&
    typeof entry.va_number === "string";
  if (vaNumbers !== undefined && !(Array.isArray(vaNumbers) && vaNumbers.every(isVaNumber))) {
    throw malformed("field va_numbers is not a list of {bank, va_number}");
  }
  return { ...record, status_code: statusCode } as unknown as MidtransTransaction;
};

/** A settlement report page, or undefined for an error body; a page of the wrong shape is malformed. */
export const readSettlementPage: AnswerReader<SettlementPage> = (record, _statusCode, answer) => {
  if (record.settlements === undefined) return undefined;
  const malformed = (why: string) => malformedAnswer(answer, `${why} (HTTP ${answer.status})`);
  const { settlements, batch_id: batchId, next_cursor: nextCursor, summary, total_count: total } = record;
  if (!Array.isArray(settlements)) throw malformed("field settlements is not a list");
  if (typeof batchId !== "string" || batchId === "") throw malformed("lacks batch_id");
  if (nextCursor !== undefined && typeof nextCursor !== "string") throw malformed("next_cursor is not text");
  if (summary !== undefined && (typeof summary !== "object" || Array.isArray(summary))) {
    throw malformed("summary is not an object");
  }
  const records = (settlements as unknown[]).map((entry) =>
    typeof entry === "object" && entry !== null && !Array.isArray(entry) ? (entry as JsonRecord) : {},
  );
  const totalCount = typeof total === "string" && /^\d{1,15}$/.test(total) ? Number(total) : undefined;
  return { batchId, records, nextCursor, summary: summary as JsonRecord | undefined, totalCount };
};
