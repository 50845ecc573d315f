import {
  GrpcCode,
  outcomeError,
  PaymeshError,
  type ProviderExchangeInit,
  type ProviderOutcome,
  type ProviderTransportError,
  recordedCall,
  reportUnknownProviderValue,
  transportFailure,
} from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import type { WiseAnswer, WiseOperation } from "./wise-client.ts";
import type { WiseErrorItem } from "./wise-wire.ts";

const refused = (reason: ErrorReason, code: GrpcCode): ProviderOutcome => ({ kind: "refused", reason, code });
const invalid = refused(ErrorReason.INVALID_FIELD, GrpcCode.INVALID_ARGUMENT);

/**
 * The one table from Wise answers to Paymesh outcomes, keyed by HTTP status (or class) and error
 * code (`errors[].code`, or a funding answer's `errorCode` under status 200). `NOT_VALID` and the
 * 401/403/429/5xx rows follow Wise's documented error format and HTTP conventions; the dotted codes
 * are the simulator's names and *unconfirmed* against the real API (see sandbox/README.md).
 */
const TABLE: ReadonlyArray<[status: number | "4xx" | "5xx", code: string, outcome: ProviderOutcome]> = [
  [422, "NOT_VALID", invalid],
  [400, "NOT_VALID", invalid],
  [404, "quote.not.found", refused(ErrorReason.QUOTE_NOT_FOUND, GrpcCode.INVALID_ARGUMENT)],
  [422, "quote.not.found", refused(ErrorReason.QUOTE_NOT_FOUND, GrpcCode.INVALID_ARGUMENT)],
  [422, "quote.expired", refused(ErrorReason.QUOTE_EXPIRED, GrpcCode.FAILED_PRECONDITION)],
  // Another payment already used this quote: the caller must make a new quote.
  [409, "quote.already.used", invalid],
  [404, "transfer.not.found", { kind: "not-found" }],
  // Wise's "Funding errors" guide spells these with hyphens.
  [404, "transfer.not-found", { kind: "not-found" }],
  // Already funded, cancelled or already processing: the transfer's state, read next, decides.
  [422, "transfer.invalid-state", { kind: "declined", reason: ErrorReason.PROVIDER_DECLINED }],
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

/**
 * The outcome for an HTTP status and Wise error code; anything unlisted is uncertain. A code with
 * no row of its own is reported (field `errors[].code`, or `errorCode` of a funding answer) before
 * its status's fallback row judges it.
 */
export function wiseOutcome(
  status: number,
  code: string,
  context: { paymentId?: string | undefined } = {},
): ProviderOutcome {
  const statusClass = status >= 500 ? "5xx" : status >= 400 ? "4xx" : status;
  const exact = TABLE.find(([s, c]) => s === status && c === code);
  if (exact === undefined && code !== "") {
    reportUnknownProviderValue({
      adapter: "adapter-remittance",
      field: status === 200 ? "errorCode" : "errors[].code",
      value: code,
      paymentId: context.paymentId,
    });
  }
  const row =
    exact ??
    TABLE.find(([s, c]) => s === status && c === "*") ??
    TABLE.find(([s, c]) => s === statusClass && c === "*");
  return row?.[2] ?? { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR };
}

/**
 * The calls that may move money: a lost or 5xx answer to them is OUTCOME_UNKNOWN, for the router
 * to settle by asking. Any other call (a quote, a recipient, a cancel, a read) moves none, so the
 * same failure is plain UNAVAILABLE: the caller may simply ask again.
 */
const MOVES_MONEY: ReadonlySet<WiseOperation> = new Set(["createTransfer", "fundTransfer"]);

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

/**
 * The error for a failed answer the caller has no special handling for, per {@link TABLE}: a
 * refusal names the field and carries Wise's code verbatim as `provider_code`.
 */
export function wiseError(
  operation: WiseOperation,
  answer: { status: number; errors: readonly WiseErrorItem[] },
): PaymeshError {
  const first = answer.errors[0];
  const outcome = wiseOutcome(answer.status, first?.code ?? "");
  const said = answer.errors
    .map((e) => `${e.path === undefined ? "" : `${e.path}: `}${e.message || e.code}`)
    .join("; ");
  const call = {
    provider: "Wise",
    what: operation,
    providerCode: first?.code || String(answer.status),
    providerMessage: `HTTP ${answer.status}${said === "" ? "" : `, ${said}`}`,
  };
  switch (outcome.kind) {
    case "refused": {
      const field = fieldForPath(operation, first?.path);
      const reason = sharpen(outcome.reason, field);
      return outcomeError({ ...outcome, reason, ...(field === undefined ? {} : { field }) }, call);
    }
    case "not-found":
      return outcomeError(outcome, call);
    case "uncertain":
      // Nothing to settle for a call that moves no money: UNAVAILABLE with the table's reason.
      return outcomeError(outcome, { ...call, readOnly: !MOVES_MONEY.has(operation) });
    default:
      // A duplicate or a decline where the caller expects neither: Wise's answer makes no sense here.
      return new PaymeshError(
        ErrorReason.PROVIDER_ERROR,
        `${operation}: Wise answered ${call.providerMessage}`,
        {
          code: GrpcCode.FAILED_PRECONDITION,
          providerCode: call.providerCode,
        },
      );
  }
}

/**
 * Runs one client call and records its exchanges (retried attempts included) in `exchanges`. No
 * usable answer becomes the kit's transport failure: UNAVAILABLE (marked never reached when it
 * provably never left), or OUTCOME_UNKNOWN when the call may have moved money.
 */
export function recorded<T>(
  exchanges: ProviderExchangeInit[],
  call: () => Promise<WiseAnswer<T>>,
): Promise<WiseAnswer<T>> {
  return recordedCall(exchanges, call, (error) =>
    wiseTransportFailure(error.exchange.operation as WiseOperation, error),
  );
}

/** The error for a Wise call that got no usable answer; see {@link MOVES_MONEY}. */
export function wiseTransportFailure(operation: WiseOperation, error: ProviderTransportError): PaymeshError {
  return transportFailure(error, {
    provider: "Wise",
    what: operation,
    readOnly: !MOVES_MONEY.has(operation),
  });
}
