import type { FinishedRpc, RpcTransport } from "@paymesh/telemetry";

export type { FinishedRpc } from "@paymesh/telemetry";

/** The caller a finished RPC names when it was refused before it was authenticated. */
const UNAUTHENTICATED_CALLER = "unauthenticated";

/**
 * The one observation point of the router's served RPCs, for both transports: the gRPC server and
 * the Connect handler each report every call here exactly once, whatever ended it. The router
 * records its metric and writes its log line here.
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
  let caller = UNAUTHENTICATED_CALLER;
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
