import { status as Status } from "@grpc/grpc-js";
import { ErrorReason } from "@paymesh/proto";

/** gRPC status codes by name; the numbers are the same in every gRPC and Connect implementation. */
export const GrpcCode = Status;
export type GrpcCode = (typeof Status)[keyof typeof Status];

/** Domain put in every google.rpc.ErrorInfo Paymesh emits, so clients know whose reasons these are. */
export const ERROR_DOMAIN = "paymesh.dev";

const marker = Symbol.for("paymesh.error");

// The ErrorInfo metadata key of PaymeshErrorOptions.neverReachedProvider; its wire form for clients.
const NEVER_REACHED_KEY = "reached_provider";

/** What a PaymeshError carries besides its message. */
export interface PaymeshErrorOptions {
  /** gRPC status; defaults to the reason's usual code (see defaultCodeFor). */
  code?: GrpcCode;
  /** The request field at fault, as a dotted path ("amount.minor_units"). */
  field?: string;
  /** The provider's own error code, verbatim. */
  providerCode?: string;
  /**
   * The request provably never reached a provider (nothing sent, breaker open, bulkhead full), so
   * the payment may go to another adapter or be tried again without any risk of a double charge.
   * Travels as ErrorInfo metadata `reached_provider: "false"`, written only here.
   */
  neverReachedProvider?: boolean;
  /** More ErrorInfo metadata. */
  metadata?: Record<string, string>;
  cause?: unknown;
}

/**
 * The one error type of Paymesh: a unified reason, the gRPC status it travels as, and the
 * provider's raw code. Thrown by adapters and the router alike, so every layer maps errors once.
 */
export class PaymeshError extends Error {
  readonly [marker] = true;
  readonly reason: ErrorReason;
  readonly code: GrpcCode;
  readonly metadata: Readonly<Record<string, string>>;

  constructor(reason: ErrorReason, message: string, options: PaymeshErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PaymeshError";
    this.reason = reason;
    this.code = options.code ?? defaultCodeFor(reason);
    const metadata: Record<string, string> = { ...options.metadata };
    if (options.field !== undefined) metadata.field = options.field;
    if (options.providerCode !== undefined) metadata.provider_code = options.providerCode;
    if (options.neverReachedProvider === true) metadata[NEVER_REACHED_KEY] = "false";
    this.metadata = metadata;
  }

  /** True when the request provably never reached a provider: safe to send again or elsewhere. */
  get neverReachedProvider(): boolean {
    return this.metadata[NEVER_REACHED_KEY] === "false";
  }

  /** The field at fault, when the error is about one. */
  get field(): string | undefined {
    return this.metadata.field;
  }

  /** The reason as it appears in ErrorInfo.reason, e.g. "IDEMPOTENCY_KEY_IN_USE". */
  get reasonName(): string {
    return reasonName(this.reason);
  }

  /** Normalizes anything thrown into a PaymeshError; unknown errors become INTERNAL. */
  static from(error: unknown): PaymeshError {
    if (isPaymeshError(error)) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new PaymeshError(ErrorReason.INTERNAL, message, { cause: error });
  }
}

/** True for a PaymeshError from any copy of this module (marker check, not instanceof). */
export function isPaymeshError(value: unknown): value is PaymeshError {
  return typeof value === "object" && value !== null && marker in value;
}

/** INVALID_ARGUMENT naming the field: the common case for request validation. */
export function invalidField(
  field: string,
  message: string,
  reason = ErrorReason.INVALID_FIELD,
): PaymeshError {
  return new PaymeshError(reason, `${field}: ${message}`, { field });
}

/** INVALID_ARGUMENT for a required field that is absent or empty. */
export function missingField(field: string): PaymeshError {
  return new PaymeshError(ErrorReason.MISSING_FIELD, `${field}: is required`, { field });
}

/** "IDEMPOTENCY_KEY_IN_USE" for ErrorReason.IDEMPOTENCY_KEY_IN_USE. */
export function reasonName(reason: ErrorReason): string {
  return ErrorReason[reason] ?? "UNSPECIFIED";
}

/** Parses ErrorInfo.reason back into the enum; UNSPECIFIED when it is not one of ours. */
export function reasonFromName(name: string): ErrorReason {
  const value = (ErrorReason as unknown as Record<string, unknown>)[name];
  return typeof value === "number" ? (value as ErrorReason) : ErrorReason.UNSPECIFIED;
}

/**
 * The gRPC status each reason travels as unless the thrower says otherwise. One table, so a
 * reason means the same status everywhere.
 */
export function defaultCodeFor(reason: ErrorReason): GrpcCode {
  switch (reason) {
    case ErrorReason.INVALID_FIELD:
    case ErrorReason.MISSING_FIELD:
    case ErrorReason.CURRENCY_NOT_SUPPORTED:
    case ErrorReason.AMOUNT_OUT_OF_RANGE:
    case ErrorReason.METHOD_NOT_SUPPORTED:
    case ErrorReason.BANK_NOT_SUPPORTED:
    case ErrorReason.IDEMPOTENCY_KEY_REUSED:
      return Status.INVALID_ARGUMENT;
    case ErrorReason.QUOTE_EXPIRED:
    case ErrorReason.PAYMENT_NOT_CANCELABLE:
    case ErrorReason.ALREADY_RESOLVED:
    case ErrorReason.PROVIDER_DECLINED:
    case ErrorReason.INSUFFICIENT_FUNDS:
    case ErrorReason.INVALID_DESTINATION:
    case ErrorReason.REJECTED_BY_BANK:
    case ErrorReason.LIMIT_EXCEEDED:
    case ErrorReason.PAYMENT_EXPIRED:
    case ErrorReason.PAYMENT_RETURNED:
    case ErrorReason.DUPLICATE_TRANSACTION:
    case ErrorReason.FAILED_ON_REVIEW:
    case ErrorReason.PAYMENT_NOT_IN_REVIEW:
    case ErrorReason.PAYMENT_FINAL:
      return Status.FAILED_PRECONDITION;
    case ErrorReason.UNAUTHENTICATED:
    case ErrorReason.WEBHOOK_SIGNATURE_INVALID:
      return Status.UNAUTHENTICATED;
    case ErrorReason.PERMISSION_DENIED:
      return Status.PERMISSION_DENIED;
    case ErrorReason.PAYMENT_NOT_FOUND:
    case ErrorReason.QUOTE_NOT_FOUND:
    case ErrorReason.RECON_NOT_FOUND:
      return Status.NOT_FOUND;
    case ErrorReason.IDEMPOTENCY_KEY_IN_USE:
    case ErrorReason.PAYMENT_CHANGED:
    case ErrorReason.RECON_RUN_IN_PROGRESS:
      return Status.ABORTED;
    case ErrorReason.PROVIDER_UNAVAILABLE:
    case ErrorReason.ADAPTER_UNAVAILABLE:
    case ErrorReason.STORE_UNAVAILABLE:
      return Status.UNAVAILABLE;
    case ErrorReason.PROVIDER_TIMEOUT:
    case ErrorReason.OUTCOME_UNKNOWN:
      return Status.DEADLINE_EXCEEDED;
    case ErrorReason.PROVIDER_RATE_LIMITED:
      return Status.RESOURCE_EXHAUSTED;
    case ErrorReason.NOT_IMPLEMENTED:
      return Status.UNIMPLEMENTED;
    default:
      return Status.INTERNAL;
  }
}
