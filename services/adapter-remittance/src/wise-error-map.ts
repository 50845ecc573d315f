import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import type { WiseOperation, WiseTransportError } from "./wise-http.ts";
import type { WiseErrorItem } from "./wise-types.ts";

/** How the adapter treats one Wise answer. */
export type WiseOutcome =
  /** The request was refused; nothing was created. */
  | { kind: "refused"; reason: ErrorReason; code: GrpcCode }
  /** Wise declined the payment itself: a FAILED payment, not an error. */
  | { kind: "declined"; reason: ErrorReason }
  /** Wise already did this (the transfer is funded): read its state instead of failing. */
  | { kind: "duplicate" }
  /** Wise may or may not have acted: ask it before answering. */
  | { kind: "uncertain"; reason: ErrorReason };

const refused = (reason: ErrorReason, code: GrpcCode): WiseOutcome => ({ kind: "refused", reason, code });
const invalid = refused(ErrorReason.INVALID_FIELD, GrpcCode.INVALID_ARGUMENT);

/**
 * The one table from Wise answers to Paymesh outcomes, keyed by HTTP status (or class) and error
 * code (`errors[].code`, or a funding answer's `errorCode` under status 200). `NOT_VALID` and the
 * 401/403/429/5xx rows are from PROVIDERS.md and Wise's HTTP conventions; the dotted codes are the
 * simulator's names and *unconfirmed* against the real API (see sandbox/README.md).
 */
const TABLE: ReadonlyArray<[status: number | "4xx" | "5xx", code: string, outcome: WiseOutcome]> = [
  [422, "NOT_VALID", invalid],
  [400, "NOT_VALID", invalid],
  [404, "quote.not.found", refused(ErrorReason.QUOTE_NOT_FOUND, GrpcCode.INVALID_ARGUMENT)],
  [422, "quote.not.found", refused(ErrorReason.QUOTE_NOT_FOUND, GrpcCode.INVALID_ARGUMENT)],
  [422, "quote.expired", refused(ErrorReason.QUOTE_EXPIRED, GrpcCode.FAILED_PRECONDITION)],
  // Another payment already used this quote: the caller must make a new quote.
  [409, "quote.already.used", invalid],
  [404, "transfer.not.found", refused(ErrorReason.PAYMENT_NOT_FOUND, GrpcCode.NOT_FOUND)],
  [
    409,
    "transfer.cancel.not.allowed",
    refused(ErrorReason.PAYMENT_NOT_CANCELABLE, GrpcCode.FAILED_PRECONDITION),
  ],
  [409, "transfer.already.funded", { kind: "duplicate" }],
  [422, "transfer.not.fundable", { kind: "declined", reason: ErrorReason.PROVIDER_DECLINED }],
  // Funding answers (HTTP 200, "status":"REJECTED") carry their reason in errorCode.
  [200, "transfer.insufficient_funds", { kind: "declined", reason: ErrorReason.INSUFFICIENT_FUNDS }],
  [200, "*", { kind: "declined", reason: ErrorReason.PROVIDER_DECLINED }],
  // Our token or profile was refused: a configuration fault, nothing was created.
  [401, "*", refused(ErrorReason.PROVIDER_AUTH_FAILED, GrpcCode.FAILED_PRECONDITION)],
  [403, "*", refused(ErrorReason.PROVIDER_AUTH_FAILED, GrpcCode.FAILED_PRECONDITION)],
  [429, "*", refused(ErrorReason.PROVIDER_RATE_LIMITED, GrpcCode.RESOURCE_EXHAUSTED)],
  [500, "*", { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }],
  [502, "*", { kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE }],
  [503, "*", { kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE }],
  [504, "*", { kind: "uncertain", reason: ErrorReason.PROVIDER_TIMEOUT }],
  // A 4xx Wise did not explain: refused, since a 4xx means Wise did not act on the request.
  ["4xx", "*", refused(ErrorReason.PROVIDER_ERROR, GrpcCode.FAILED_PRECONDITION)],
  ["5xx", "*", { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }],
];

/** The outcome for an HTTP status and Wise error code; anything unlisted is uncertain. */
export function wiseOutcome(status: number, code: string): WiseOutcome {
  const statusClass = status >= 500 ? "5xx" : status >= 400 ? "4xx" : status;
  const row =
    TABLE.find(([s, c]) => s === status && c === code) ??
    TABLE.find(([s, c]) => s === status && c === "*") ??
    TABLE.find(([s, c]) => s === statusClass && c === "*");
  return row?.[2] ?? { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR };
}

const RECIPIENT_FIELDS: Readonly<Record<string, string>> = {
  accountHolderName: "remittance.recipient.account_holder_name",
  currency: "remittance.recipient.currency",
  type: "remittance.recipient.type",
};
const TRANSFER_FIELDS: Readonly<Record<string, string>> = {
  quoteUuid: "remittance.quote_id",
  targetAccount: "remittance.recipient",
  "details.reference": "remittance.reference",
  reference: "remittance.reference",
  customerTransactionId: "payment_id",
};
const QUOTE_FIELDS: Readonly<Record<string, string>> = {
  sourceCurrency: "source_currency",
  targetCurrency: "target_currency",
  sourceAmount: "source_amount.minor_units",
  targetAmount: "target_amount.minor_units",
};

/**
 * The Paymesh request field a Wise error `path` is about. Recipient paths are the bare details
 * names Wise uses (`accountNumber`, `address.city`) unless they name a top-level field.
 */
export function fieldForPath(operation: WiseOperation, path: string | undefined): string | undefined {
  switch (operation) {
    case "createQuote":
      return path === undefined ? undefined : QUOTE_FIELDS[path];
    case "getQuote":
      return "remittance.quote_id";
    case "createRecipient":
      if (path === undefined || path === "profile") return undefined;
      return RECIPIENT_FIELDS[path] ?? `remittance.recipient.details.${path.replace(/^details\./, "")}`;
    case "createTransfer":
      return path === undefined ? undefined : TRANSFER_FIELDS[path];
    default:
      return undefined;
  }
}

/** A field-level reason is sharpened by its field: a currency is unsupported, an amount out of range. */
function sharpen(reason: ErrorReason, field: string | undefined): ErrorReason {
  if (reason !== ErrorReason.INVALID_FIELD || field === undefined) return reason;
  if (/(^|[._])currency$/.test(field)) return ErrorReason.CURRENCY_NOT_SUPPORTED;
  if (field.endsWith("amount.minor_units")) return ErrorReason.AMOUNT_OUT_OF_RANGE;
  return reason;
}

/** The PaymeshError for a refused request, naming the field and carrying Wise's code verbatim. */
export function wiseRefusal(
  outcome: Extract<WiseOutcome, { kind: "refused" }>,
  operation: WiseOperation,
  errors: readonly WiseErrorItem[],
  status: number,
): PaymeshError {
  const first = errors[0];
  const field = fieldForPath(operation, first?.path);
  const said = errors
    .map((e) => `${e.path === undefined ? "" : `${e.path}: `}${e.message || e.code}`)
    .join("; ");
  const message = `${field === undefined ? "" : `${field}: `}Wise refused ${operation} (HTTP ${status}): ${said || "no details"}`;
  return new PaymeshError(sharpen(outcome.reason, field), message, {
    code: outcome.code,
    ...(field === undefined ? {} : { field }),
    providerCode: first?.code || String(status),
  });
}

/**
 * The PaymeshError when Wise gave no usable answer or a 5xx. Provably unsent, or a read that
 * changes nothing: UNAVAILABLE (safe to retry). A creation that may have happened: OUTCOME_UNKNOWN,
 * so the router resolves it by asking instead of guessing (DESIGN.md section 4).
 */
export function wiseUnavailable(
  what: string,
  options: {
    sent: boolean;
    creating: boolean;
    reason?: ErrorReason;
    providerCode?: string;
    cause?: WiseTransportError;
  },
): PaymeshError {
  if (options.sent && options.creating) {
    return new PaymeshError(ErrorReason.OUTCOME_UNKNOWN, `${what}: Wise's answer was lost; outcome unknown`, {
      code: GrpcCode.DEADLINE_EXCEEDED,
      ...(options.providerCode === undefined ? {} : { providerCode: options.providerCode }),
      cause: options.cause,
    });
  }
  return new PaymeshError(
    options.reason ?? ErrorReason.PROVIDER_UNAVAILABLE,
    `${what}: Wise could not be reached`,
    {
      code: GrpcCode.UNAVAILABLE,
      ...(options.providerCode === undefined ? {} : { providerCode: options.providerCode }),
      neverReachedProvider: !options.sent,
      cause: options.cause,
    },
  );
}
