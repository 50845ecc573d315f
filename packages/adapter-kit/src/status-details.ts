import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { anyPack, anyUnpack } from "@bufbuild/protobuf/wkt";
import { Metadata, type ServiceError, type StatusObject } from "@grpc/grpc-js";
import { ErrorInfoSchema, ErrorReason, StatusSchema } from "@paymesh/proto";
import {
  ERROR_DOMAIN,
  type GrpcCode,
  isPaymeshError,
  PaymeshError,
  reasonFromName,
  reasonName,
} from "./paymesh-error.ts";

/** The trailer in which gRPC carries a serialized google.rpc.Status. */
export const STATUS_DETAILS_KEY = "grpc-status-details-bin";

/** Serializes the error as google.rpc.Status carrying one google.rpc.ErrorInfo. */
export function encodeStatusDetails(error: PaymeshError): Buffer {
  const info = create(ErrorInfoSchema, {
    reason: reasonName(error.reason),
    domain: ERROR_DOMAIN,
    metadata: { ...error.metadata },
  });
  const status = create(StatusSchema, {
    code: error.code,
    message: error.message,
    details: [anyPack(ErrorInfoSchema, info)],
  });
  return Buffer.from(toBinary(StatusSchema, status));
}

/**
 * A grpc-js server error for anything thrown: status code, message, and the rich status in
 * grpc-status-details-bin so a client in any language can branch on the reason.
 */
export function toGrpcServiceError(error: unknown): Partial<StatusObject> & { code: GrpcCode } {
  const paymeshError = PaymeshError.from(error);
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, encodeStatusDetails(paymeshError));
  return { code: paymeshError.code, details: paymeshError.message, metadata };
}

/**
 * Reads a grpc-js client error back into a PaymeshError, keeping the reason and metadata the
 * server sent. Errors without details (transport failures) get a reason from their code.
 */
export function fromGrpcServiceError(error: ServiceError): PaymeshError {
  if (isPaymeshError(error)) return error;
  const raw = error.metadata?.get(STATUS_DETAILS_KEY)[0];
  if (raw instanceof Buffer) {
    const decoded = decodeStatusDetails(error.code, raw, error.details, error);
    if (decoded !== undefined) return decoded;
  }
  const message = error.details || error.message;
  return new PaymeshError(reasonForBareCode(error.code, message), message, {
    code: error.code,
    cause: error,
    // Only a connection that was never established proves the request was never sent.
    neverReachedProvider: error.code === 14 && NEVER_CONNECTED.test(message),
  });
}

/**
 * grpc-js's wording when a call failed before any connection existed (refused, unresolvable, no
 * ready subchannel). "Connection dropped" or a reset mid-call is different: the request may have
 * been received, so it is not matched here.
 */
const NEVER_CONNECTED =
  /No connection established|ECONNREFUSED|Name resolution failed|ENOTFOUND|EHOSTUNREACH/;

/**
 * The PaymeshError carried by serialized google.rpc.Status bytes (from a trailer, or a stored
 * idempotent answer); undefined when they hold no Paymesh ErrorInfo or do not parse.
 */
export function decodeStatusDetails(
  code: GrpcCode,
  bytes: Uint8Array,
  fallbackMessage = "",
  cause?: unknown,
): PaymeshError | undefined {
  try {
    const status = fromBinary(StatusSchema, bytes);
    for (const detail of status.details) {
      const info = anyUnpack(detail, ErrorInfoSchema);
      if (info === undefined || info.domain !== ERROR_DOMAIN) continue;
      return new PaymeshError(reasonFromName(info.reason), status.message || fallbackMessage, {
        code,
        metadata: info.metadata,
        ...(cause === undefined ? {} : { cause }),
      });
    }
  } catch {
    // Malformed details: the caller falls back to the bare code.
  }
  return undefined;
}

/** The reason for a status that came without ErrorInfo, e.g. from the transport itself. */
function reasonForBareCode(code: number, message: string): ErrorReason {
  switch (code) {
    case 14: // UNAVAILABLE: never connected, or the connection dropped with the call in flight.
      return NEVER_CONNECTED.test(message) ? ErrorReason.ADAPTER_UNAVAILABLE : ErrorReason.OUTCOME_UNKNOWN;
    case 4: // DEADLINE_EXCEEDED
      return ErrorReason.OUTCOME_UNKNOWN;
    case 12: // UNIMPLEMENTED
      return ErrorReason.NOT_IMPLEMENTED;
    case 16: // UNAUTHENTICATED
      return ErrorReason.UNAUTHENTICATED;
    default:
      return ErrorReason.INTERNAL;
  }
}
