import type { IncomingMessage } from "node:http";
import type { SettlementReportControls } from "@paymesh/sandbox-kit";
import type { SimState } from "./sim-state.ts";

/** What a SNAP route handler gets besides the request. */
export interface SnapRouteContext {
  state: SimState;
  /** The merchant's static sticker every dynamic QR is derived from. */
  staticQris: string;
  /** The per-day settlement file and what a test injected into it. */
  report: SettlementReportControls;
}

/** One SNAP (or simulator-only provider-style) endpoint. */
export interface SnapRoute {
  method: "GET" | "POST";
  path: string;
  /** Key under `requests` in `GET /sim/stats`. */
  endpoint: string;
  /** Middle digits of every responseCode the route answers. */
  serviceCode: string;
  /**
   * Whether injected faults (latency, failNext, resetConnections) apply. Only transaction
   * endpoints: a fault aimed at "the next generate" must not be eaten by the token fetch before it.
   */
  transactional: boolean;
  /** Returns the HTTP 200 answer body, or throws a SnapFailure. */
  handle(context: SnapRouteContext, request: IncomingMessage, rawBody: Buffer, url: URL): unknown;
}
