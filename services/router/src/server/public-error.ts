import { randomUUID } from "node:crypto";
import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import type { LogSink } from "../router-log.ts";

/**
 * The error a caller may see for anything a request failed with. Every answer a caller gets from
 * its own input is a PaymeshError with its reason; what is left (INTERNAL, UNKNOWN, anything not a
 * PaymeshError) is the router's fault, and its text may be a backend's own (SQL, a driver, an
 * adapter's stack): the caller gets a generic message and a correlation id, and the log line with
 * the same id keeps the cause for the operator.
 */
export function createPublicErrors(log: LogSink) {
  return function publicError(error: unknown, method: string): PaymeshError {
    const failure = PaymeshError.from(error);
    if (failure.code !== GrpcCode.INTERNAL && failure.code !== GrpcCode.UNKNOWN) return failure;
    const correlationId = randomUUID();
    log({
      source: "server",
      level: "error",
      kind: "internal",
      method,
      correlation_id: correlationId,
      error: failure.message,
      cause: causeChain(failure),
    });
    return new PaymeshError(
      ErrorReason.INTERNAL,
      `internal error; the router logged it with correlation id ${correlationId}`,
      { code: GrpcCode.INTERNAL, metadata: { correlation_id: correlationId } },
    );
  };
}

/** What turns anything thrown into the error a caller sees. */
export type PublicErrors = ReturnType<typeof createPublicErrors>;

/** Each cause's message, outermost first, with the innermost stack: what an operator needs. */
function causeChain(error: unknown): string[] {
  const chain: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    const next = current instanceof Error ? current.cause : undefined;
    chain.push(
      current instanceof Error
        ? next === undefined
          ? (current.stack ?? current.message)
          : current.message
        : String(current),
    );
    current = next;
  }
  return chain;
}
