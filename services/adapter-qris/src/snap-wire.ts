import {
  type HttpExchange,
  type JsonRecord,
  jsonObject,
  malformedAnswer,
  type ProviderAnswer,
} from "@paymesh/adapter-kit";
import { formatSnapAmount, type SnapAmount, SnapServiceCode, snapTimestamp } from "@paymesh/snap";

// SNAP QR MPM on the wire: the bodies the adapter sends and the answers it reads. Pure functions;
// the client in snap-client.ts does the sending.

/** The SNAP calls the adapter makes, as its exchanges record them. */
export type SnapOperation = "accessToken" | "generateQr" | "queryQr" | "cancelQr" | "listSettlements";

/** One round trip of a SNAP call, for the payment's audit trail. */
export type SnapExchange = HttpExchange<SnapOperation>;

export const TOKEN_PATH = "/v1.0/access-token/b2b";
export const GENERATE_PATH = "/v1.0/qr/qr-mpm-generate";
export const QUERY_PATH = "/v1.0/qr/qr-mpm-query";
export const CANCEL_PATH = "/v1.0/qr/qr-mpm-cancel";
/** A piece of the acquirer's settlement file (not a SNAP API; see sandbox/README.md). */
export const settlementsPath = (date: string, offset: string | undefined) =>
  `/v1.0/qr/settlements?${new URLSearchParams({ date, ...(offset === undefined ? {} : { offset }) })}`;

/** `additionalInfo` objects are open-ended; the fields Paymesh reads are typed. */
export interface SnapAdditionalInfo {
  validityPeriod?: string;
  qrContent?: string;
  paidTime?: string;
  [field: string]: unknown;
}

/** A successful `qr-mpm-generate` answer. */
export interface GenerateQrAnswer {
  responseCode: string;
  responseMessage: string;
  referenceNo: string;
  partnerReferenceNo: string;
  /** The QRIS payload to show the customer. */
  qrContent: string;
  merchantName?: string;
  storeId?: string;
  terminalId?: string;
  additionalInfo?: SnapAdditionalInfo;
}

/** A successful `qr-mpm-query` answer. */
export interface QueryQrAnswer {
  responseCode: string;
  responseMessage: string;
  originalReferenceNo: string;
  originalPartnerReferenceNo: string;
  /** `00` success, `01` initiated, `02` paying, `03` pending, `04` refunded, `05` cancelled, `06` failed. */
  latestTransactionStatus: string;
  transactionStatusDesc?: string;
  serviceCode?: string;
  paidTime?: string;
  amount?: SnapAmount;
  additionalInfo?: SnapAdditionalInfo;
}

/** A successful `qr-mpm-cancel` answer. */
export interface CancelQrAnswer {
  responseCode: string;
  responseMessage: string;
  originalReferenceNo: string;
  originalPartnerReferenceNo: string;
  cancelTime?: string;
  transactionDate?: string;
  latestTransactionStatus?: string;
  transactionStatusDesc?: string;
}

/**
 * A piece of the acquirer's settlement file: its header row, some of its CSV lines, and on the
 * last piece its trailer row. Lines stay text: each is read on its own (qris-settlements.ts).
 */
export interface SettlementsAnswer {
  responseCode: string;
  responseMessage: string;
  fileName: string;
  header: string;
  lines: string[];
  nextOffset?: string;
  trailer?: string;
}

/** A granted B2B access token. */
export interface TokenAnswer {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
}

/**
 * What every call resolves to: the bank answered, with success or with a SNAP error code.
 * `exchange` is the final round trip; `exchanges` all of them in order (token fetches, retried
 * attempts and a request rejected for an expired token included), for the audit trail.
 */
export type SnapAnswer<T> =
  | {
      ok: true;
      responseCode: string;
      responseMessage: string;
      body: T;
      exchange: SnapExchange;
      exchanges: SnapExchange[];
    }
  | SnapFailure;

/** The bank's answer with an error code. */
export interface SnapFailure {
  ok: false;
  responseCode: string;
  responseMessage: string;
  httpStatus: number;
  exchange: SnapExchange;
  exchanges: SnapExchange[];
}

/** Reads a successful answer's fields; throws a malformed answer when they are not the promised shape. */
export type SnapReader<T> = (record: JsonRecord, answer: ProviderAnswer<SnapOperation>) => T;

/** The access-token request body. */
export const TOKEN_BODY = JSON.stringify({ grantType: "client_credentials" });

/** The `qr-mpm-generate` body; `partnerReferenceNo` is the payment id, the bank's duplicate key. */
export function generateQrBody(input: {
  partnerReferenceNo: string;
  amountMinorUnits: bigint;
  merchantId: string;
  terminalId?: string | undefined;
  validityPeriod?: Date | undefined;
}): string {
  return JSON.stringify({
    partnerReferenceNo: input.partnerReferenceNo,
    amount: formatSnapAmount(input.amountMinorUnits, "IDR"),
    merchantId: input.merchantId,
    ...(input.terminalId === undefined ? {} : { terminalId: input.terminalId }),
    ...(input.validityPeriod === undefined ? {} : { validityPeriod: snapTimestamp(input.validityPeriod) }),
  });
}

/** The `qr-mpm-query` body. */
export function queryQrBody(input: {
  partnerReferenceNo: string;
  referenceNo?: string | undefined;
  merchantId: string;
}): string {
  return JSON.stringify({
    originalPartnerReferenceNo: input.partnerReferenceNo,
    ...(input.referenceNo === undefined ? {} : { originalReferenceNo: input.referenceNo }),
    serviceCode: SnapServiceCode.qrMpmGenerate,
    merchantId: input.merchantId,
  });
}

/** The `qr-mpm-cancel` body. */
export function cancelQrBody(input: {
  partnerReferenceNo: string;
  referenceNo?: string | undefined;
  merchantId: string;
  reason?: string | undefined;
}): string {
  return JSON.stringify({
    originalPartnerReferenceNo: input.partnerReferenceNo,
    ...(input.referenceNo === undefined ? {} : { originalReferenceNo: input.referenceNo }),
    merchantId: input.merchantId,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
  });
}

/**
 * Reads an answer: SNAP-shaped JSON with a 7-digit responseCode, successful when both the HTTP
 * status and the code say 2xx (some banks answer HTTP 200 with an error code). Anything else is a
 * malformed answer: something answered, but what it did is unknown.
 */
export function readSnapAnswer<T>(answer: ProviderAnswer<SnapOperation>, read: SnapReader<T>): SnapAnswer<T> {
  // Some banks send null for absent optional fields; absent is what the typed answers expect.
  const record = Object.fromEntries(Object.entries(jsonObject(answer)).filter(([, field]) => field !== null));
  const { responseCode } = record;
  if (typeof responseCode !== "string" || !/^\d{7}$/.test(responseCode))
    throw malformed(answer, "no 7-digit responseCode");
  const responseMessage = typeof record.responseMessage === "string" ? record.responseMessage : "";
  const { exchange, exchanges } = answer;
  if (answer.status >= 200 && answer.status < 300 && responseCode.startsWith("2")) {
    return { ok: true, responseCode, responseMessage, body: read(record, answer), exchange, exchanges };
  }
  return { ok: false, responseCode, responseMessage, httpStatus: answer.status, exchange, exchanges };
}

export const readToken: SnapReader<TokenAnswer> = (record, answer) => {
  const { accessToken } = record;
  if (typeof accessToken !== "string" || accessToken === "") throw malformed(answer, "lacks accessToken");
  // The SNAP text writes expiresIn as a string ("900"); a number is read the same.
  const expiresIn = Number(record.expiresIn ?? 900);
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) throw malformed(answer, "has a bad expiresIn");
  return { accessToken, expiresIn };
};

export const readGenerated =
  (partnerReferenceNo: string): SnapReader<GenerateQrAnswer> =>
  (record, answer) => {
    const optional = ["partnerReferenceNo", "merchantName", "storeId", "terminalId"];
    return checked<GenerateQrAnswer>(record, answer, ["referenceNo", "qrContent"], optional, {
      partnerReferenceNo,
    });
  };

export const readQueried =
  (partnerReferenceNo: string): SnapReader<QueryQrAnswer> =>
  (record, answer) => {
    const optional = ["originalPartnerReferenceNo", "transactionStatusDesc", "serviceCode", "paidTime"];
    const required = ["originalReferenceNo", "latestTransactionStatus"];
    const defaults = { originalPartnerReferenceNo: partnerReferenceNo };
    return checked<QueryQrAnswer>(record, answer, required, optional, defaults);
  };

export const readCancelled =
  (partnerReferenceNo: string, referenceNo: string | undefined): SnapReader<CancelQrAnswer> =>
  (record, answer) => {
    const optional = [
      "originalReferenceNo",
      "originalPartnerReferenceNo",
      "cancelTime",
      "transactionDate",
      "latestTransactionStatus",
      "transactionStatusDesc",
    ];
    const defaults = {
      originalPartnerReferenceNo: partnerReferenceNo,
      originalReferenceNo: referenceNo ?? "",
    };
    return checked<CancelQrAnswer>(record, answer, [], optional, defaults);
  };

export const readSettlements: SnapReader<SettlementsAnswer> = (record, answer) => {
  const { lines } = record;
  if (!Array.isArray(lines) || !lines.every((line) => typeof line === "string")) {
    throw malformed(answer, "lacks lines of text");
  }
  return checked<SettlementsAnswer>(record, answer, ["fileName", "header"], ["nextOffset", "trailer"]);
};
/**
 * Checks the fields an answer type promises before the answer is cast to it: required strings
 * present, optional ones strings when present, `amount` and `additionalInfo` objects. Other
 * fields pass through untouched for the audit trail.
 */
function checkShape(
  record: JsonRecord,
  answer: ProviderAnswer<SnapOperation>,
  required: readonly string[],
  optional: readonly string[],
): void {
  for (const name of required) {
    if (typeof record[name] !== "string" || record[name] === "") throw malformed(answer, `lacks ${name}`);
  }
  for (const name of optional) {
    if (record[name] !== undefined && typeof record[name] !== "string")
      throw malformed(answer, `field ${name} is not a string`);
  }
  const { amount, additionalInfo } = record;
  if (additionalInfo !== undefined && (typeof additionalInfo !== "object" || Array.isArray(additionalInfo)))
    throw malformed(answer, "field additionalInfo is not an object");
  if (amount === undefined) return;
  const valid =
    typeof amount === "object" &&
    amount !== null &&
    "value" in amount &&
    typeof amount.value === "string" &&
    "currency" in amount &&
    typeof amount.currency === "string";
  if (!valid) throw malformed(answer, "field amount is not a SNAP amount");
}

/** Fills what a bank may leave out with what the request said; an empty default fills nothing. */
/**
 * The record as the answer type `T`, once its string fields are checked and defaults filled: the
 * one place a checked wire record becomes a typed answer.
 */
function checked<T>(
  record: JsonRecord,
  answer: ProviderAnswer<SnapOperation>,
  required: readonly string[],
  optional: readonly string[],
  defaults: Record<string, string> = {},
): T {
  checkShape(record, answer, required, optional);
  const typed: unknown = withDefaults(record, defaults);
  return typed as T;
}

function withDefaults(record: JsonRecord, defaults: Record<string, string>): JsonRecord {
  const merged: JsonRecord = { ...record };
  for (const [name, value] of Object.entries(defaults)) {
    if (typeof merged[name] !== "string" && value !== "") merged[name] = value;
  }
  return merged;
}

/** The kit's malformed answer, with the HTTP status it came with. */
function malformed(answer: ProviderAnswer<SnapOperation>, why: string) {
  return malformedAnswer(answer, `${why} (HTTP ${answer.status})`);
}
