import type { Logger } from "./logger.ts";
import type { RpcLogLevel } from "./logger-settings.ts";
import { grpcCodeName, type RpcTransport } from "./metrics.ts";

/** One served RPC once its status is known: what its metric and its one log line record. */
export interface FinishedRpc {
  /** The RPC's method name, e.g. "CreatePayment". */
  method: string;
  /** Who called: the authenticated service's name, or what is known of an unauthenticated one. */
  caller: string;
  /** The gRPC status code answered, 0 for OK (Connect answers with the same numbers). */
  code: number;
  durationMs: number;
  /** Over which protocol it was served. */
  transport: RpcTransport;
}

/**
 * Writes the one line every served RPC gets, at `level` (LOG_RPC_LEVEL): enough to find a slow or
 * failed call by method, caller and code (by name, as the metrics' `code` label has it), and to
 * join it to its trace by the ids every line has.
 */
export function logRpc(logger: Logger, level: RpcLogLevel, rpc: FinishedRpc): void {
  logger[level](
    {
      source: "rpc",
      method: rpc.method,
      caller: rpc.caller,
      code: grpcCodeName(rpc.code),
      transport: rpc.transport,
      duration_ms: Math.round(rpc.durationMs * 1000) / 1000,
    },
    "rpc finished",
  );
}
