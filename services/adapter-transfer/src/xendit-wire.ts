import { invalidField, jsonNumber, missingField } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason } from "@paymesh/proto";
import { checkAccountNumber, xenditBankCode } from "./xendit-bank-codes.ts";

// Xendit's wire shapes: the disbursement request built from a Paymesh request, and readers that
// check and type its answers. Pure functions; the client sends, the provider decides.

/** Everything `POST /disbursements` needs, checked. */
export interface PayoutInstruction {
  /**
   * `X-IDEMPOTENCY-KEY`: the payment id itself. Deterministic, so every retry of one payment
   * carries the same key and Xendit can never pay twice; readable, so an operator finds the
   * payout in Xendit's dashboard by the Paymesh id.
   */
  idempotencyKey: string;
  /** `external_id`: the payment id too, which is how a lookup finds the payout again. */
  externalId: string;
  /** Whole rupiah. */
  amount: bigint;
  bankCode: string;
  accountNumber: string;
  accountHolderName: string;
  description: string;
}

// *unconfirmed*: Xendit does not publish length limits for these two fields.
const MAX_NAME = 100;
const MAX_DESCRIPTION = 255;

/**
 * Checks a CreatePayment request against Xendit's rules before anything is sent, naming the field
 * at fault: a bank transfer method, whole rupiah (Xendit takes no cents), a bank Xendit pays to,
 * an account number of that bank's shape, and a holder name.
 */
export function payoutInstruction(request: adapterv1.CreatePaymentRequest): PayoutInstruction {
  if (request.method.case !== "bankTransfer") {
    throw invalidField(
      "method",
      "this adapter serves bank transfer payouts only",
      ErrorReason.METHOD_NOT_SUPPORTED,
    );
  }
  const method = request.method.value;
  const minorUnits = request.amount?.minorUnits ?? 0n;
  if (minorUnits % 100n !== 0n) {
    throw invalidField("amount.minor_units", "Xendit pays whole rupiah: IDR amounts must have zero cents");
  }
  if (method.bankCode.trim() === "") throw missingField("bank_transfer.bank_code");
  const bankCode = xenditBankCode(method.bankCode);
  if (method.accountNumber === "") throw missingField("bank_transfer.account_number");
  checkAccountNumber(bankCode, method.accountNumber);
  const accountHolderName = method.accountHolderName.trim();
  if (accountHolderName === "") throw missingField("bank_transfer.account_holder_name");
  // No control characters, and a letter somewhere: what a bank's name check could ever match.
  if (
    accountHolderName.length > MAX_NAME ||
    /\p{Cc}/u.test(accountHolderName) ||
    !/\p{L}/u.test(accountHolderName)
  ) {
    throw invalidField(
      "bank_transfer.account_holder_name",
      `must be a name of at most ${MAX_NAME} printable characters`,
    );
  }
  const description =
    request.description === "" ? `Paymesh payout ${request.paymentId}` : request.description;
  if (description.length > MAX_DESCRIPTION) {
    throw invalidField("description", `must be at most ${MAX_DESCRIPTION} characters for Xendit`);
  }
  return {
    idempotencyKey: request.paymentId,
    externalId: request.paymentId,
    amount: minorUnits / 100n,
    bankCode,
    accountNumber: method.accountNumber,
    accountHolderName,
    description,
  };
}

/** The `POST /disbursements` body; the amount goes out as a bare JSON number of exactly its digits. */
export function disbursementRequest(payout: PayoutInstruction): string {
  return JSON.stringify({
    external_id: payout.externalId,
    amount: jsonNumber(payout.amount.toString()),
    bank_code: payout.bankCode,
    account_holder_name: payout.accountHolderName,
    account_number: payout.accountNumber,
    description: payout.description,
  });
}

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

/**
 * One page of the transactions report. Transactions stay raw JSON: each is read on its own
 * (xendit-settlements.ts), so one bad line is one unreadable line, not a failed report.
 */
export interface TransactionsPage {
  data: JsonRecord[];
  hasMore: boolean;
  /** The last transaction's `id`: the `after_id` of the next page. */
  lastId: string | undefined;
}

/** Xendit's error body: `{"error_code","message"}`. */
export interface XenditError {
  errorCode: string;
  message: string;
}

/**
 * Called with why a value is not Xendit's shape; it throws. The client makes that a malformed
 * answer (outcome unknown), a callback a refusal of the body: the readers stay the same.
 */
export type Fail = (why: string) => never;

type JsonRecord = Record<string, unknown>;

function record(value: unknown, what: string, fail: Fail): JsonRecord {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail(`${what} is not a JSON object`);
  return value as JsonRecord;
}

function text(from: JsonRecord, name: string, fail: Fail): string | undefined {
  const value = from[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") fail(`field ${name} is not a string`);
  return value as string;
}

function required(from: JsonRecord, name: string, fail: Fail): string {
  return text(from, name, fail) ?? fail(`lacks ${name}`);
}

/** A JSON number that is an exact whole amount (Xendit sends IDR as whole rupiah numbers). */
function wholeAmount(value: unknown, name: string, fail: Fail): bigint {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) fail(`field ${name} is not a whole number`);
  return BigInt(value as number);
}

/** Checks and types a disbursement object; other fields are ignored (the exchange keeps them). */
export function readDisbursement(value: unknown, fail: Fail): Disbursement {
  const from = record(value, "disbursement", fail);
  const optional = (name: string) => text(from, name, fail);
  const failureCode = optional("failure_code");
  const description = optional("disbursement_description");
  const created = optional("created");
  const updated = optional("updated");
  return {
    id: required(from, "id", fail),
    externalId: required(from, "external_id", fail),
    amount: wholeAmount(from.amount, "amount", fail),
    bankCode: optional("bank_code") ?? "",
    accountHolderName: optional("account_holder_name") ?? "",
    status: required(from, "status", fail),
    ...(failureCode === undefined ? {} : { failureCode }),
    ...(description === undefined ? {} : { description }),
    ...(created === undefined ? {} : { created }),
    ...(updated === undefined ? {} : { updated }),
  };
}

/** The answer to `GET /disbursements?external_id=`: a JSON array of disbursements. */
export function readDisbursementList(value: unknown, fail: Fail): Disbursement[] {
  if (!Array.isArray(value)) fail("not a JSON array");
  return (value as unknown[]).map((item) => readDisbursement(item, fail));
}

/**
 * Checks a `GET /transactions` page: a `data` list of objects, each with the `id` paging needs
 * (shape *unconfirmed*, see sandbox/README.md). The lines themselves are read one by one later.
 */
export function readTransactionsPage(value: unknown, fail: Fail): TransactionsPage {
  const page = record(value, "answer", fail);
  if (!Array.isArray(page.data)) fail("lacks data");
  const data = (page.data as unknown[]).map((item) => {
    const transaction = record(item, "transaction", fail);
    required(transaction, "id", fail);
    return transaction;
  });
  const last = data.at(-1)?.id;
  return { data, hasMore: page.has_more === true, lastId: typeof last === "string" ? last : undefined };
}

/** Xendit's error body, or undefined when the value is not one (no string `error_code`). */
export function readError(value: unknown): XenditError | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const { error_code: errorCode, message } = value as JsonRecord;
  if (typeof errorCode !== "string") return undefined;
  return { errorCode, message: typeof message === "string" ? message : "" };
}
