import { type ReportEntry, type SettlementReportControls, timeWindow } from "@paymesh/sandbox-kit";
import { exactNumber } from "./exact-numbers.ts";
import { statementLine } from "./settlement-report.ts";
import { amountJson } from "./views.ts";
import { notValid, wiseFailure } from "./wise-failure.ts";
import { param, requireProfile, type WiseRoute } from "./wise-route.ts";

/** `GET /v4/profiles/{profileId}/balances?types=STANDARD`: one balance per currency. */
export const listBalancesRoute: WiseRoute = {
  method: "GET",
  pattern: /^\/v4\/profiles\/(\d+)\/balances$/,
  endpoint: "list-balances",
  handle(context) {
    const { state } = context;
    requireProfile(state, param(context, 0));
    const body = [...state.balances.entries()].map(([currency, balance]) => ({
      id: exactNumber(String(balance.id)),
      currency,
      type: "STANDARD",
      name: null,
      amount: { value: amountJson(balance.minorUnits, currency), currency },
      reservedAmount: { value: amountJson(0n, currency), currency },
      visible: true,
    }));
    return { status: 200, body };
  },
};

/**
 * `GET /v1/profiles/{profileId}/balance-statements/{balanceId}/statement.json?currency=&intervalStart=&intervalEnd=&type=COMPACT`:
 * the balance's debits (funded transfers, `totalFees` the quote's fee) and credits (refunds) in the
 * interval — the simulator's settlement report (sandbox/settlement-report.ts). Only the fields the adapter reads and a few around
 * them are modelled; strong customer authentication, which Wise asks for in some regions, is not.
 */
export const balanceStatementRoute: WiseRoute = {
  method: "GET",
  pattern: /^\/v1\/profiles\/(\d+)\/balance-statements\/(\d+)\/statement\.json$/,
  endpoint: "balance-statement",
  handle(context) {
    const { state, url } = context;
    requireProfile(state, param(context, 0));
    const currency = url.searchParams.get("currency") ?? "";
    const balance = state.balances.get(currency);
    if (balance === undefined || String(balance.id) !== param(context, 1)) {
      throw wiseFailure(404, "balance.not.found", `No ${currency} balance ${param(context, 1)}`);
    }
    const start = new Date(url.searchParams.get("intervalStart") ?? "");
    const end = new Date(url.searchParams.get("intervalEnd") ?? "");
    if (Number.isNaN(start.getTime()))
      throw notValid("intervalStart", "intervalStart must be an ISO 8601 instant");
    if (Number.isNaN(end.getTime()) || end <= start)
      throw notValid("intervalEnd", "intervalEnd must be after intervalStart");
    const transactions = statementLines(context.report, currency, start, end, (entry) =>
      statementLine(entry, state),
    );
    return {
      status: 200,
      body: {
        accountHolder: { type: "PERSONAL" },
        transactions,
        endOfStatementBalance: { value: amountJson(balance.minorUnits, currency), currency },
        query: {
          intervalStart: start.toISOString(),
          intervalEnd: end.toISOString(),
          currency,
          accountId: exactNumber(String(balance.id)),
        },
      },
    };
  },
};

/**
 * The statement lines of `currency` booked in [start, end): each UTC day's report (what the
 * simulator booked, with what a test injected, or a synthesized day) cut to the interval by time,
 * so an hour of a million-line day costs that hour's lines only.
 */
function statementLines(
  report: SettlementReportControls,
  currency: string,
  start: Date,
  end: Date,
  line: (entry: ReportEntry) => Record<string, unknown>,
) {
  const lines: Record<string, unknown>[] = [];
  for (let day = new Date(`${start.toISOString().slice(0, 10)}T00:00:00Z`); day < end; ) {
    const next = new Date(day.getTime() + 86_400_000);
    const source = report.source(day.toISOString().slice(0, 10));
    const from = start > day ? start : day;
    const window = timeWindow(source, from, end < next ? end : next);
    for (let index = window.start; index < window.end; index += 1) {
      const entry = source.at(index);
      if (entry.currency === currency) lines.push(line(entry));
    }
    day = next;
  }
  return lines;
}
