import type { IncomingMessage } from "node:http";
import type { SettlementReportControls } from "@paymesh/sandbox-kit";
import type { SimState } from "./sim-state.ts";
import type { SimTransaction } from "./transaction-store.ts";

/** What a route can use: the state, and the notifier for state changes it makes. */
export interface RouteContext {
  state: SimState;
  /** Queues the notification of a transaction's current state (sent after the answer, in order per order_id). */
  notify(transaction: SimTransaction): void;
  /** The settlement report and what a test injected into it. */
  report: SettlementReportControls;
}

/** One Midtrans endpoint. */
export interface MidtransRoute {
  method: "GET" | "POST";
  /** Matched against the path; capture group 1, when present, is the order_id (or transaction_id). */
  pattern: RegExp;
  /** Name in `GET /sim/stats` request counts. */
  endpoint: string;
  /** API requests take part in fault injection (failNext, latency, resets); the report does not. */
  transactional: boolean;
  /** The JSON answer (always HTTP 200), or throws MidtransFailure. */
  handle(
    context: RouteContext,
    request: IncomingMessage,
    rawBody: Buffer,
    id: string,
    url: URL,
  ): Record<string, unknown>;
}
