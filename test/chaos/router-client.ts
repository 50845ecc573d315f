import type { ServiceError } from "@grpc/grpc-js";
import { errorInfoFromMetadata } from "../support/error-details.ts";
import { plainPaymentClient } from "../support/plain-client.ts";

/** A payment as proto-loader decodes it (enums as names, int64 as strings, absent messages null). */
export interface RouterPayment {
  id: string;
  status: string;
  amount: { currency: string; minorUnits: string } | null;
  merchantReference: string;
  adapter: string;
  providerReference: string;
  failure: { reason: string; providerCode: string; message: string } | null;
  outcomeUnknown: boolean;
  needsReview: boolean;
  reviewReason: string;
  createdAt: { seconds: string; nanos: number } | null;
  updatedAt: { seconds: string; nanos: number } | null;
}

/** A proto Timestamp as proto-loader gives it, in epoch milliseconds (0 when absent). */
export function timestampMs(timestamp: { seconds: string; nanos: number } | null): number {
  return timestamp === null ? 0 : Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1_000_000);
}

/** A remittance quote, the parts the run uses. */
export interface RouterQuote {
  id: string;
  sourceAmount: { currency: string; minorUnits: string };
}

/**
 * How a caller reads a failed call:
 * - unknown: the payment may or may not exist (deadline exceeded, OUTCOME_UNKNOWN, an internal
 *   error, the connection dropped): retry with the same key or ask later, never assume;
 * - retry: nothing happened and it is safe to send again (key in use, adapter or provider not
 *   reached, rate limited);
 * - final: a definite answer (invalid, refused, not found, declined at the provider).
 */
export type FailureClass = "unknown" | "retry" | "final";

/** A failed call as the run records it. */
export interface CallFailure {
  code: number;
  /** google.rpc.ErrorInfo reason, "" when the answer had none (e.g. a client-side deadline). */
  reason: string;
  /** The payment the router named in ErrorInfo metadata (payment_id), if any. */
  paymentId: string;
  message: string;
  class: FailureClass;
}

const DEADLINE_EXCEEDED = 4;
const ABORTED = 10;
const RESOURCE_EXHAUSTED = 8;
const UNAVAILABLE = 14;
const INTERNAL = 13;
const UNKNOWN = 2;
const CANCELLED = 1;

/** Reads a grpc-js error the way any caller can: status code plus ErrorInfo from the trailer. */
export function callFailure(error: unknown): CallFailure {
  const serviceError = error as Partial<ServiceError>;
  const code = typeof serviceError.code === "number" ? serviceError.code : UNKNOWN;
  const info = errorInfoFromMetadata(serviceError.metadata);
  const reason = info?.reason ?? "";
  const message = typeof serviceError.details === "string" ? serviceError.details : String(error);
  let failureClass: FailureClass;
  if (code === DEADLINE_EXCEEDED || code === INTERNAL || code === UNKNOWN || code === CANCELLED) {
    failureClass = "unknown";
  } else if (code === UNAVAILABLE) {
    // Without ErrorInfo the call may have died anywhere (connection lost): unknown. With it, the
    // router says whether the provider may have the payment.
    failureClass = reason === "" || reason === "OUTCOME_UNKNOWN" ? "unknown" : "retry";
  } else if (code === ABORTED || code === RESOURCE_EXHAUSTED) {
    failureClass = "retry";
  } else {
    failureClass = "final";
  }
  return { code, reason, paymentId: info?.metadata.payment_id ?? "", message, class: failureClass };
}

/** The PaymentService calls the run makes, over one plain grpc-js channel. */
export function createRouterClient(address: string, token: string) {
  const client = plainPaymentClient(address, token);
  return {
    async createPayment(request: Record<string, unknown>, deadlineMs: number): Promise<RouterPayment> {
      return (await client.call<{ payment: RouterPayment }>("CreatePayment", request, { deadlineMs }))
        .payment;
    },
    async getPayment(paymentId: string): Promise<RouterPayment> {
      return (await client.call<{ payment: RouterPayment }>("GetPayment", { paymentId })).payment;
    },
    async cancelPayment(paymentId: string): Promise<RouterPayment> {
      return (
        await client.call<{ payment: RouterPayment }>("CancelPayment", {
          paymentId,
          reason: "chaos: caller cancels",
        })
      ).payment;
    },
    async createQuote(sourceMinorUnits: bigint): Promise<RouterQuote> {
      const { quote } = await client.call<{ quote: RouterQuote }>("CreateQuote", {
        sourceCurrency: "IDR",
        targetCurrency: "GBP",
        sourceAmount: { currency: "IDR", minorUnits: String(sourceMinorUnits) },
      });
      return quote;
    },
    /** Every payment of the caller (optionally only unresolved ones), page by page. */
    async listAll(options: { unresolvedOnly?: boolean; maxPages?: number } = {}): Promise<RouterPayment[]> {
      const payments: RouterPayment[] = [];
      let pageToken = "";
      for (let page = 0; page < (options.maxPages ?? 1_000); page++) {
        const answer = await client.call<{ payments: RouterPayment[]; nextPageToken: string }>(
          "ListPayments",
          { pageSize: 100, pageToken, unresolvedOnly: options.unresolvedOnly ?? false },
          { deadlineMs: 30_000 },
        );
        payments.push(...answer.payments);
        pageToken = answer.nextPageToken;
        if (pageToken === "") return payments;
      }
      return payments;
    },
    close: () => client.close(),
  };
}

/** The client type. */
export type RouterClient = ReturnType<typeof createRouterClient>;

/** Terminal statuses (docs/architecture.md §4): final. */
export const TERMINAL: ReadonlySet<string> = new Set([
  "PAYMENT_STATUS_SUCCEEDED",
  "PAYMENT_STATUS_FAILED",
  "PAYMENT_STATUS_CANCELED",
  "PAYMENT_STATUS_EXPIRED",
]);

/** A payment the router knows the state of: not unknown, not raised for review, past PENDING. */
export function inKnownState(payment: RouterPayment): boolean {
  return !payment.outcomeUnknown && !payment.needsReview && payment.status !== "PAYMENT_STATUS_PENDING";
}
