import { isPolicyTimeoutError } from "../policy-errors.ts";

/** A gRPC-like error, as the router sees adapter failures (PaymeshError carries the same fields). */
export interface FakeGrpcError extends Error {
  code: number;
  metadata: Record<string, string>;
}

/** UNAVAILABLE (14), INVALID_ARGUMENT (3), … with optional ErrorInfo-like metadata. */
export function grpcError(code: number, metadata: Record<string, string> = {}): FakeGrpcError {
  return Object.assign(new Error(`grpc status ${code}`), { code, metadata });
}

function codeOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "number" ? error.code : undefined;
}

/** The router's kind of breaker rule: the adapter being unwell counts, a refused request does not. */
export function countsAsFailure(error: unknown): boolean {
  const code = codeOf(error);
  return isPolicyTimeoutError(error) || code === 14 || code === 4 || code === 13;
}

/** A read is retryable after UNAVAILABLE or a policy timeout. */
export function retryableRead(error: unknown): boolean {
  return codeOf(error) === 14 || isPolicyTimeoutError(error);
}

/** What happened to a promise, readable synchronously while fake timers hold time still. */
export interface Observed<T> {
  settled: boolean;
  value?: T;
  error?: unknown;
}

/** Observes a promise without letting its rejection go unhandled. */
export function observe<T>(promise: Promise<T>): Observed<T> {
  const observed: Observed<T> = { settled: false };
  promise.then(
    (value) => Object.assign(observed, { settled: true, value }),
    (error: unknown) => Object.assign(observed, { settled: true, error }),
  );
  return observed;
}

/** A call that never answers on its own and rejects when its signal aborts, like a grpc-js call. */
export function hangingCall(seen: AbortSignal[]): (signal: AbortSignal) => Promise<never> {
  return (signal) => {
    seen.push(signal);
    return new Promise((_, reject) => {
      signal.addEventListener("abort", () => reject(grpcError(1)), { once: true });
    });
  };
}

/** A promise with its resolve handle, to hold a call open while a test fills the bulkhead. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
