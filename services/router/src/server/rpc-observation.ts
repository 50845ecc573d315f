import type { RpcTransport } from "@paymesh/telemetry";

/** A served RPC once its status is known: what the metrics and the one log line per RPC record. */
export interface FinishedRpc {
  /** The RPC's name, e.g. "CreatePayment". */
  method: string;
  /** The authenticated calling service; "" when the call was refused before it was authenticated. */
  caller: string;
  /** The gRPC status code answered, 0 for OK (Connect answers with the same numbers). */
  code: number;
  durationMs: number;
  transport: RpcTransport;
}

/**
 * The one observation point of the router's served RPCs, for both transports: the gRPC server and
 * the Connect handler each report every call here exactly once, whatever ended it.
 */
export type OnRpcFinished = (rpc: FinishedRpc) => void;

/** One RPC being timed; `finish` reports it once, later calls are ignored. */
export interface ObservedRpc {
  /** Records the caller once authentication named it. */
  authenticated(caller: string): void;
  finish(code: number): void;
}

/** Starts timing an RPC that arrived at `started` (performance.now()). */
export function observeRpc(
  onRpcFinished: OnRpcFinished,
  method: string,
  transport: RpcTransport,
  started = performance.now(),
): ObservedRpc {
  let caller = "";
  let finished = false;
  return {
    authenticated(name) {
      caller = name;
    },
    finish(code) {
      if (finished) return;
      finished = true;
      onRpcFinished({ method, caller, code, durationMs: performance.now() - started, transport });
    },
  };
}
