// The JSON shapes Midtrans Core API speaks (PROVIDERS.md, "Midtrans Core API"), in its own
// snake_case, and the checks an answer passes before code reads it as one of them.

/** `POST /v2/charge` body for a `bank_transfer` VA. */
export interface ChargeRequest {
  payment_type: "bank_transfer";
  /** `gross_amount` in whole rupiah: Midtrans takes IDR without decimals. */
  transaction_details: { order_id: string; gross_amount: number };
  bank_transfer: {
    bank: MidtransBank;
    /** Custom VA number; length rules per bank (BCA 6–11, BNI 8 or 12, BRI 18, Permata 10). */
    va_number?: string;
    permata?: { recipient_name: string };
  };
  customer_details?: { first_name: string };
  /** *Unconfirmed* shape beyond PROVIDERS.md: Midtrans's documented custom_expiry object. */
  custom_expiry?: { order_time: string; expiry_duration: number; unit: "minute" };
}

/** Midtrans's names for the VA banks. */
export type MidtransBank = "bca" | "bni" | "bri" | "permata";

/** A transaction as charge, status, cancel and notifications describe it. */
export interface MidtransTransaction {
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
  /** BCA, BNI, BRI. */
  va_numbers?: Array<{ bank: string; va_number: string }>;
  /** Permata's different shape. */
  permata_va_number?: string;
  signature_key?: string;
}

/** One record of the settlement report (simulator-only; see sandbox/README.md). */
export interface SettlementRecord {
  order_id: string;
  transaction_id: string;
  gross_amount: string;
  fee_amount: string;
  settlement_time: string;
}

/** An answer that is not Midtrans-shaped: the outcome of what was sent is unknown. */
export class MalformedAnswer extends Error {}

type JsonRecord = Record<string, unknown>;

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
 * The transaction in an answer, or undefined when the answer is not about a transaction (an error
 * body). Having `transaction_status` is what makes it one — not the status_code: an expired VA's
 * status is status_code 407 with a full transaction, an expected answer (PROVIDERS.md).
 */
export function readTransaction(record: JsonRecord, statusCode: string): MidtransTransaction | undefined {
  if (record.transaction_status === undefined) return undefined;
  for (const name of TRANSACTION_STRINGS) {
    if (typeof record[name] !== "string" || record[name] === "")
      throw new MalformedAnswer(`answer lacks ${name}`);
  }
  for (const name of OPTIONAL_STRINGS) {
    if (record[name] !== undefined && typeof record[name] !== "string") {
      throw new MalformedAnswer(`answer field ${name} is not a string`);
    }
  }
  if (!/^\d+(\.\d{1,2})?$/.test(String(record.gross_amount))) {
    throw new MalformedAnswer("answer field gross_amount is not a decimal amount");
  }
  const vaNumbers = record.va_numbers;
  const validVaNumbers =
    vaNumbers === undefined ||
    (Array.isArray(vaNumbers) &&
      vaNumbers.every(
        (entry: unknown) =>
          typeof entry === "object" &&
          entry !== null &&
          "bank" in entry &&
          typeof entry.bank === "string" &&
          "va_number" in entry &&
          typeof entry.va_number === "string",
      ));
  if (!validVaNumbers)
    throw new MalformedAnswer("answer field va_numbers is not a list of {bank, va_number}");
  return { ...record, status_code: statusCode } as unknown as MidtransTransaction;
}

/** The settlement report's records, or undefined for an error body. */
export function readSettlements(record: JsonRecord): SettlementRecord[] | undefined {
  if (record.settlements === undefined) return undefined;
  if (!Array.isArray(record.settlements)) throw new MalformedAnswer("answer field settlements is not a list");
  for (const entry of record.settlements as unknown[]) {
    const fields = typeof entry === "object" && entry !== null ? (entry as JsonRecord) : {};
    for (const name of ["order_id", "transaction_id", "gross_amount", "fee_amount", "settlement_time"]) {
      if (typeof fields[name] !== "string") throw new MalformedAnswer(`settlement lacks ${name}`);
    }
  }
  return record.settlements as SettlementRecord[];
}
