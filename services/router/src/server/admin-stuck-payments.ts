import type { IncomingMessage, ServerResponse } from "node:http";
import { type Authenticator, PaymeshError } from "@paymesh/adapter-kit";
import { PaymentStatus } from "@paymesh/proto";
import type { PaymentStore } from "@paymesh/store";
import type { Logger } from "@paymesh/telemetry";

/** The path of the stuck-payments admin API. */
export const STUCK_PAYMENTS_PATH = "/admin/payments/stuck";
/** `GET /admin/payments/stuck` without `?limit=`, and the most it answers. */
export const DEFAULT_STUCK_LIMIT = 100;
export const MAX_STUCK_LIMIT = 1000;

/** One payment as `GET /admin/payments/stuck` shows it. Times are ISO 8601, absent ones null. */
export interface StuckPaymentJson {
  id: string;
  caller: string;
  /** "pending", "requires_action", "processing", … */
  status: string;
  adapter: string;
  outcomeUnknown: boolean;
  /** Raised for review: the resolver stopped asking; a person decides. */
  needsReview: boolean;
  reviewReason: string | null;
  /** How often the resolver has asked the provider. */
  attempts: number;
  /** When the resolver asks next; null under review. */
  nextCheckAt: string | null;
  /** What the last look found (an error, or the provider's status), when known. */
  lastAnswer: string | null;
  /** The last HTTP exchange between the adapter and its provider for this payment, if any. */
  lastExchange: { operation: string; responseStatus: number; transportError: string; at: string } | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * `GET /admin/payments/stuck?limit=n`: every payment, of every caller, the status resolver is still
 * chasing (a check is scheduled: an unknown outcome, a creating router that died, a webhook that
 * never came) or has raised for review, newest first, with the resolver's attempts, next check and
 * last answer. Operators only; what `paymesh payments stuck` prints.
 */
export function createStuckPaymentsAdmin(options: {
  store: PaymentStore;
  authenticate: Authenticator;
  /** Where a store failure behind a 503 is logged. */
  log: Logger;
}) {
  const { store, authenticate, log } = options;
  return async function stuckPayments(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      authenticate(req.headers.authorization);
    } catch (error) {
      return json(res, 401, { error: PaymeshError.from(error).message });
    }
    if (req.method !== "GET") return json(res, 405, { error: "use GET" });
    const text = new URL(req.url ?? "/", "http://router").searchParams.get("limit");
    const limit = text === null ? DEFAULT_STUCK_LIMIT : /^\d{1,4}$/.test(text) ? Number(text) : 0;
    if (limit < 1 || limit > MAX_STUCK_LIMIT) {
      return json(res, 400, { error: `limit must be a whole number from 1 to ${MAX_STUCK_LIMIT}` });
    }
    try {
      const records = await store.listUnresolved(limit);
      const payments: StuckPaymentJson[] = await Promise.all(
        records.map(async (record) => {
          const last = (await store.exchanges(record.id)).at(-1);
          return {
            id: record.id,
            caller: record.caller,
            status: (PaymentStatus[record.status] ?? String(record.status)).toLowerCase(),
            adapter: record.adapter,
            outcomeUnknown: record.outcomeUnknown,
            needsReview: record.review !== undefined,
            reviewReason: record.review?.reason ?? null,
            attempts: record.resolution?.attempts ?? 0,
            nextCheckAt: record.resolution?.nextCheckAt.toISOString() ?? null,
            lastAnswer: record.resolution?.lastAnswer ?? null,
            lastExchange:
              last === undefined
                ? null
                : {
                    operation: last.operation,
                    responseStatus: last.responseStatus,
                    transportError: last.transportError,
                    at: last.startedAt.toISOString(),
                  },
            createdAt: record.createdAt.toISOString(),
            updatedAt: record.updatedAt.toISOString(),
          };
        }),
      );
      json(res, 200, { payments });
    } catch (error) {
      log.error({ source: "admin", path: STUCK_PAYMENTS_PATH, err: error }, "listing stuck payments failed");
      json(res, 503, { error: "the payment store is unavailable; retry later" });
    }
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
