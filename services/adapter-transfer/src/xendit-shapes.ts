/** A parsed JSON object. */
export type JsonRecord = Record<string, unknown>;

/** An answer that is not Xendit-shaped; the client turns it into a transport error (outcome unknown). */
export class MalformedAnswer extends Error {}

/** A disbursement as Xendit answers it, with the fields Paymesh reads typed. */
export interface Disbursement {
  id: string;
  externalId: string;
  /** Whole rupiah. */
  amount: bigint;
  bankCode: string;
  accountHolderName: string;
  /** `PENDING`, `COMPLETED` or `FAILED`. */
  status: string;
  failureCode?: string;
  description?: string;
  /** ISO timestamps, when Xendit sends them. */
  created?: string;
  updated?: string;
}

/** One disbursement line of the transactions report. */
export interface TransactionRecord {
  id: string;
  /** The disbursement id. */
  productId: string;
  /** The disbursement's external_id: the Paymesh payment id. */
  referenceId: string;
  status: string;
  currency: string;
  /** Whole units of `currency`. */
  amount: bigint;
  /** Xendit's fee plus its VAT, whole units. */
  fee: bigint;
  updated?: string;
}

/** One page of the transactions report. */
export interface TransactionsPage {
  data: TransactionRecord[];
  hasMore: boolean;
}

function record(value: unknown, what: string): JsonRecord {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new MalformedAnswer(`${what} is not a JSON object`);
  }
  return value as JsonRecord;
}

function text(from: JsonRecord, name: string, required: boolean): string | undefined {
  const value = from[name];
  if (value === undefined || value === null) {
    if (required) throw new MalformedAnswer(`answer lacks ${name}`);
    return undefined;
  }
  if (typeof value !== "string") throw new MalformedAnswer(`answer field ${name} is not a string`);
  return value;
}

/** A JSON number that is an exact whole amount (Xendit sends IDR as whole rupiah numbers). */
export function wholeAmount(value: unknown, name = "amount"): bigint {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new MalformedAnswer(`answer field ${name} is not a whole number`);
  }
  return BigInt(value);
}

/** Checks and types a disbursement object; other fields are ignored (the exchange keeps them). */
export function parseDisbursement(value: unknown): Disbursement {
  const from = record(value, "disbursement");
  const optional = (name: string) => text(from, name, false);
  const failureCode = optional("failure_code");
  const description = optional("disbursement_description");
  const created = optional("created");
  const updated = optional("updated");
  return {
    id: text(from, "id", true) ?? "",
    externalId: text(from, "external_id", true) ?? "",
    amount: wholeAmount(from.amount),
    bankCode: optional("bank_code") ?? "",
    accountHolderName: optional("account_holder_name") ?? "",
    status: text(from, "status", true) ?? "",
    ...(failureCode === undefined ? {} : { failureCode }),
    ...(description === undefined ? {} : { description }),
    ...(created === undefined ? {} : { created }),
    ...(updated === undefined ? {} : { updated }),
  };
}

/** Checks and types a `GET /transactions` page (shape *unconfirmed*, see sandbox/README.md). */
export function parseTransactionsPage(value: unknown): TransactionsPage {
  const page = record(value, "answer");
  if (!Array.isArray(page.data)) throw new MalformedAnswer("answer lacks data");
  const data = page.data.map((item): TransactionRecord => {
    const from = record(item, "transaction");
    const fee = from.fee === undefined || from.fee === null ? {} : record(from.fee, "fee");
    const feePart = (name: string) => (fee[name] === undefined ? 0n : wholeAmount(fee[name], `fee.${name}`));
    const updated = text(from, "updated", false);
    return {
      id: text(from, "id", true) ?? "",
      productId: text(from, "product_id", true) ?? "",
      referenceId: text(from, "reference_id", false) ?? "",
      status: text(from, "status", true) ?? "",
      currency: text(from, "currency", false) ?? "IDR",
      amount: wholeAmount(from.amount),
      fee: feePart("xendit_fee") + feePart("value_added_tax"),
      ...(updated === undefined ? {} : { updated }),
    };
  });
  return { data, hasMore: page.has_more === true };
}
