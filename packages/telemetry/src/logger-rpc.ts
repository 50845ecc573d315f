import type { Logger } from "./logger.ts";
import type { RpcLogLevel } from "./logger-settings.ts";

/** One served RPC, as it finished. */
export interface FinishedRpc {
  /** The RPC's method name, e.g. "CreatePayment". */
  method: string;
  /** Who called: the authenticated service's name, or what is known of an unauthenticated one. */
  caller: string;
  /** The gRPC status code's name, e.g. "OK", "INVALID_ARGUMENT". */
  code: string;
  durationMs: number;
  /** Over which protocol it was served. */
  transport: "grpc" | "connect";
}

/**
 * Writes the one line every served RPC gets, at `level` (LOG_RPC_LEVEL): enough to find a slow or
 * failed call by method, caller and code, and to join it to its trace by the ids every line has.
 */
export function logRpc(logger: Logger, level: RpcLogLevel, rpc: FinishedRpc): void {
  logger[level](
    {
      source: "rpc",
      method: rpc.method,
      caller: rpc.caller,
      code: rpc.code,
      transport: rpc.transport,
      duration_ms: Math.round(rpc.durationMs * 1000) / 1000,
    },
    "rpc finished",
  );
}
