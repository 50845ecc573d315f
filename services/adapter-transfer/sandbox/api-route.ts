import type { IncomingMessage } from "node:http";
import type { SettlementReportControls } from "@paymesh/sandbox-kit";
import type { SimDisbursement } from "./disbursement-store.ts";
import type { SimState } from "./sim-state.ts";

/** What a route handler gets besides the request. */
export interface RouteContext {
  state: SimState;
  /** Called once per disbursement created, e.g. to schedule its automatic completion. */
  onCreated(disbursement: SimDisbursement): void;
  /** The per-day settlement report and what a test injected into it. */
  report: SettlementReportControls;
}

/** One Xendit (or Xendit-shaped) endpoint. */
export interface ApiRoute {
  method: "GET" | "POST";
  /** Key under `requests` in `GET /sim/stats`. */
  endpoint: string;
  /** Path parameters when the route serves this path, else undefined. */
  match(pathname: string): Record<string, string> | undefined;
  /** Returns the HTTP 200 answer body, or throws a XenditFailure. */
  handle(
    context: RouteContext,
    request: IncomingMessage,
    rawBody: Buffer,
    url: URL,
    params: Record<string, string>,
  ): unknown;
}
