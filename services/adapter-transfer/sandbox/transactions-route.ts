import type { ApiRoute, RouteContext } from "./api-route.ts";
import { SIM_FEE } from "./disbursement-rules.ts";
import type { SimDisbursement } from "./disbursement-store.ts";
import { authenticate } from "./request-auth.ts";
import { positionOf, transactionOfEntry, wibDay } from "./settlement-report.ts";
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
  handle(context, request, _rawBody, url) {
    const { state } = context;
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
    const day = from !== undefined && to !== undefined ? businessDay(from, to) : undefined;
    if (day !== undefined) return dayReportPage(context, url, { day, types, statuses, limit });
    const disbursementsWanted = types === undefined || types.includes("DISBURSEMENT");
    const matching = (disbursementsWanted ? state.disbursements.list() : [])
      .filter((d) => statuses === undefined || statuses.includes(transactionStatus(d)))
      .filter((d) => from === undefined || d.updated.getTime() >= from)
      .filter((d) => to === undefined || d.updated.getTime() <= to)
      .map(transactionView);
    const afterId = url.searchParams.get("after_id");
    const start = afterId === null ? 0 : matching.findIndex((t) => t.id === afterId) + 1;
    const page = matching.slice(start, start + limit);
    return answerPage(url, page, start + limit < matching.length);
  },
};

/** A page of transactions with Xendit's `has_more` and `links` (the next page's href). */
function answerPage(url: URL, page: Record<string, unknown>[], hasMore: boolean) {
  const next = new URL(url);
  next.searchParams.set("after_id", String(page.at(-1)?.id ?? ""));
  return {
    data: page,
    has_more: hasMore,
    links: hasMore ? [{ href: `${next.pathname}${next.search}`, method: "GET", rel: "next" }] : [],
  };
}

/** The WIB business day a window covers exactly (00:00:00.000 to 23:59:59.999 WIB), if it does. */
function businessDay(from: number, to: number): string | undefined {
  const day = wibDay(new Date(from));
  const start = new Date(`${day}T00:00:00+07:00`).getTime();
  return from === start && to === start + 86_400_000 - 1 ? day : undefined;
}

/**
 * A page of one WIB day's settlement report: what the simulator processed that day, with the
 * discrepancies a test injected, or a synthesized report, read only as far as the page needs.
 */
function dayReportPage(
  { report }: RouteContext,
  url: URL,
  query: { day: string; types?: string[] | undefined; statuses?: string[] | undefined; limit: number },
) {
  const source = report.source(query.day);
  const afterId = url.searchParams.get("after_id");
  const after = afterId === null ? -1 : positionOf(afterId, query.day);
  if (after === undefined)
    throw new XenditFailure("API_VALIDATION_ERROR", '"after_id" is not a transaction of this report');
  const page: Record<string, unknown>[] = [];
  let position = after + 1;
  for (; position < source.length && page.length < query.limit; position += 1) {
    const transaction = transactionOfEntry(source.at(position), query.day, position);
    if (query.types !== undefined && !query.types.includes(String(transaction.type))) continue;
    if (query.statuses !== undefined && !query.statuses.includes(String(transaction.status))) continue;
    page.push(transaction);
  }
  return answerPage(url, page, position < source.length);
}
