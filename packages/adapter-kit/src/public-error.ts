import { randomUUID } from "node:crypto";
import { ErrorReason } from "@paymesh/proto";
import type { Logger } from "@paymesh/telemetry";
import { GrpcCode, PaymeshError } from "./paymesh-error.ts";

/** Options for {@link createPublicErrors}. */
export interface PublicErrorsOptions {
  /** Where an INTERNAL answer's cause is logged. */
  log: Logger;
  /** Named in the answer: who logged the cause ("router", "adapter-va"). */
  service: string;
  /** @default randomUUID */
  newCorrelationId?: () => string;
}

/**
 * The error a caller may see for anything a request failed with. Every answer a caller gets from
 * its own input is a PaymeshError with its reason; what is left (INTERNAL, UNKNOWN, anything not a
 * PaymeshError) is the server's fault, and its text may be a backend's own (SQL, a driver, a
 * stack): the caller gets a generic message and a correlation id (also as ErrorInfo metadata
 * `correlation_id`), and the error line logged with the same id keeps the cause for the operator.
 * One mechanism for the router and every adapter.
 */
export function createPublicErrors(options: PublicErrorsOptions) {
  const newCorrelationId = options.newCorrelationId ?? randomUUID;
  return function publicError(error: unknown, method: string): PaymeshError {
    const failure = PaymeshError.from(error);
    if (failure.code !== GrpcCode.INTERNAL && failure.code !== GrpcCode.UNKNOWN) return failure;
    const correlationId = newCorrelationId();
    options.log.error(
      {
        source: "server",
        kind: "internal",
        method,
        correlation_id: correlationId,
        // An adapter's own correlation id, when the failure came from one.
        metadata: failure.metadata,
        err: failure,
      },
      `internal error in ${method}`,
    );
    return new PaymeshError(
      ErrorReason.INTERNAL,
      `internal error; the ${options.service} logged it with correlation id ${correlationId}`,
      { code: GrpcCode.INTERNAL, metadata: { correlation_id: correlationId } },
    );
  };
}

/** What turns anything thrown into the error a caller sees. */
export type PublicErrors = ReturnType<typeof createPublicErrors>;
