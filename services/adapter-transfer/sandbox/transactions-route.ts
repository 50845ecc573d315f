import type { ApiRoute } from "./api-route.ts";
import { SIM_FEE } from "./disbursement-rules.ts";
import type { SimDisbursement } from "./disbursement-store.ts";
import { authenticate } from "./request-auth.ts";
import { XenditFailure } from "./xendit-failure.ts";

const TRANSACTION_STATUS = { PENDING: "PENDING", COMPLETED: "SUCCESS", FAILED: "FAILED" } as const;

function instant(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  if (value === null) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new XenditFailure("API_VALIDATION_ERROR", `"${name}" must be a date`);
  return time;
}

/** A disbursement's transaction status; an overridden, undocumented status passes through as is. */
function transactionStatus(disbursement: SimDisbursement): string {
  const { status } = disbursement;
  return Object.hasOwn(TRANSACTION_STATUS, status)
    ? TRANSACTION_STATUS[status as keyof typeof TRANSACTION_STATUS]
    : status;
}

function transactionView(disbursement: SimDisbursement): Record<string, unknown> {
  const succeeded = disbursement.status === "COMPLETED";
  return {
    id: `txn_${disbursement.id}`,
    product_id: disbursement.id,
    type: "DISBURSEMENT",
    status: transactionStatus(disbursement),
    channel_category: "BANK",
    channel_code: disbursement.bankCode,
    reference_id: disbursement.externalId,
    currency: "IDR",
    amount: disbursement.amount,
    cashflow: "MONEY_OUT",
    business_id: disbursement.userId,
    fee: {
      xendit_fee: succeeded ? SIM_FEE.xenditFee : 0,
      value_added_tax: succeeded ? SIM_FEE.valueAddedTax : 0,
      status: succeeded ? "COMPLETED" : "CANCELED",
    },
    created: disbursement.created.toISOString(),
    updated: disbursement.updated.toISOString(),
  };
}

/**
 * `GET /transactions` — the settlement report. Xendit has no per-day disbursement settlement
 * endpoint in docs/providers.md; its Transactions API is the documented-looking place for "what moved
 * today", so the simulator serves a subset of it (*unconfirmed* shape): filters `types`
 * (comma-separated; only DISBURSEMENT exists here), `statuses` (SUCCESS, FAILED, PENDING),
 * `updated[gte]` / `updated[lte]` (ISO instants, inclusive), `limit` (1–50, default 10) and
 * `after_id` (cursor), answering `{"data", "has_more", "links"}` oldest first.
 */
export const transactionsRoute: ApiRoute = {
  method: "GET",
  endpoint: "transactions",
  match: (pathname) => (pathname === "/transactions" ? {} : undefined),
  handle({ state }, request, _rawBody, url) {
    authenticate(state, request);
    const list = (name: string) => url.searchParams.get(name)?.split(",").filter(Boolean);
    const types = list("types");
    const statuses = list("statuses");
    const from = instant(url, "updated[gte]");
    const to = instant(url, "updated[lte]");
    const limit = Number(url.searchParams.get("limit") ?? "10");
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
      throw new XenditFailure("API_VALIDATION_ERROR", '"limit" must be between 1 and 50');
    }
    const disbursementsWanted = types === undefined || types.includes("DISBURSEMENT");
    const matching = (disbursementsWanted ? state.disbursements.list() : [])
      .filter((d) => statuses === undefined || statuses.includes(transactionStatus(d)))
      .filter((d) => from === undefined || d.updated.getTime() >= from)
      .filter((d) => to === undefined || d.updated.getTime() <= to)
      .map(transactionView);
    const afterId = url.searchParams.get("after_id");
    const start = afterId === null ? 0 : matching.findIndex((t) => t.id === afterId) + 1;
    const page = matching.slice(start, start + limit);
    const hasMore = start + limit < matching.length;
    const last = page.at(-1);
    const next = new URL(url);
    next.searchParams.set("after_id", String(last?.id ?? ""));
    return {
      data: page,
      has_more: hasMore,
      links: hasMore ? [{ href: `${next.pathname}${next.search}`, method: "GET", rel: "next" }] : [],
    };
  },
};
