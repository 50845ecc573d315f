import type { PlannedPayment } from "./plan.ts";
import type { RouterPayment } from "./router-client.ts";

/** How the caller's part of one planned payment ended. */
export type ClientResult =
  /** The router answered with the payment. */
  | "created"
  /** The router gave a definite error (declined, invalid, over the limit). */
  | "refused"
  /** The outcome was unknown and the caller walked away (no retry), as some callers do. */
  | "abandoned"
  /** The caller retried as long as its policy allows and never got a definite answer. */
  | "exhausted"
  /** Remittance only: no quote could be had, so no payment was attempted. */
  | "quote-failed"
  /** The run's time budget ran out before this payment was started. */
  | "not-started"
  /** The harness itself failed on this payment (a bug in the run, not in Paymesh). */
  | "harness-error";

/** Everything the caller saw and did for one planned payment. */
export interface ItemRecord {
  plan: PlannedPayment;
  /** One line per CreatePayment attempt: when, how long, what came back. */
  attempts: string[];
  /** Payment ids the router gave this caller (in an answer or in ErrorInfo metadata). */
  told: Set<string>;
  /** A CreatePayment attempt ended with an unknown outcome. */
  sawUnknown: boolean;
  retriedAfterUnknown: boolean;
  result: ClientResult | undefined;
  /** The last payment the router answered with. */
  payment: RouterPayment | undefined;
  /** Payment ids whose completion (pay, expire, cancel, complete, or deliberately none) is done. */
  completed: Set<string>;
  /** Notable events, kept as evidence for the report. */
  events: string[];
}

export function newItemRecord(plan: PlannedPayment): ItemRecord {
  return {
    plan,
    attempts: [],
    told: new Set(),
    sawUnknown: false,
    retriedAfterUnknown: false,
    result: undefined,
    payment: undefined,
    completed: new Set(),
    events: [],
  };
}
