import { reportPage, reportTotals } from "@paymesh/sandbox-kit";
import { failures } from "./midtrans-failure.ts";
import { checkServerKey } from "./request-auth.ts";
import type { MidtransRoute } from "./route.ts";
import { reportRecord, rupiahText } from "./settlement-report.ts";

/** Records per page unless `limit` says otherwise, and the most a page may hold. */
const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 5_000;

/**
 * `GET /v2/settlements?date=yyyy-MM-dd[&cursor=][&limit=]` — NOT a Midtrans API, simulator-only.
 * Midtrans gives settlement as dashboard and file reports; this serves the same facts (what
 * reached a final status on a WIB day, with fee, PPN and net) as JSON pages, so the adapter's
 * ListSettlements pages through a report of any size. Every page names the report's `batch_id`
 * and its record count (`total_count`, as a file's header states it); the last one carries the
 * file's trailer (`summary`: line count, gross and net totals).
 */
export const settlementsRoute: MidtransRoute = {
  method: "GET",
  pattern: /^\/v2\/settlements$/,
  endpoint: "settlements",
  transactional: false,
  handle({ state, report }, request, _rawBody, _id, url) {
    checkServerKey(request, state.options.serverKey);
    const date = url.searchParams.get("date") ?? "";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw failures.validation(["date must be yyyy-MM-dd"]);
    const limit = Number(url.searchParams.get("limit") ?? DEFAULT_LIMIT);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw failures.validation([`limit must be from 1 to ${MAX_LIMIT}`]);
    }
    const source = report.source(date);
    const page = reportPage(source, url.searchParams.get("cursor"), limit);
    if (page === "badCursor") throw failures.validation(["cursor is not one this report gave"]);
    const totals = page.next === undefined ? reportTotals(source) : undefined;
    return {
      status_code: "200",
      status_message: "Success, settlement report",
      date,
      batch_id: `${state.options.merchantId}-${date.replaceAll("-", "")}`,
      // Like a settlement file's header record count: every page says how large the report is.
      total_count: String(source.length),
      settlements: page.entries.map(reportRecord),
      ...(page.next === undefined ? {} : { next_cursor: page.next }),
      ...(totals === undefined
        ? {}
        : {
            summary: {
              line_count: String(totals.count),
              gross_total: rupiahText(totals.gross),
              net_total: rupiahText(totals.net),
            },
          }),
    };
  },
};
