import { header, reportPage, reportTotals } from "@paymesh/sandbox-kit";
import { SnapHeader, snapResponseCode } from "@paymesh/snap";
import { batchIdOf, fileRow, QRIS_FILE_COLUMNS } from "./settlement-report.ts";
import { snapFailure } from "./snap-failure.ts";
import type { SnapRoute } from "./snap-route.ts";

// Not a SNAP API, so it has no SNAP service code; "00" marks simulator-only answers.
const serviceCode = "00";
const DEFAULT_LIMIT = 1_000;
const MAX_LIMIT = 10_000;

/**
 * `GET /v1.0/qr/settlements?date=yyyy-MM-dd[&offset=][&limit=]` — NOT SNAP, simulator-only. SNAP
 * defines no settlement API; acquirers deliver a CSV settlement file per merchant id per day,
 * T+1, cut off at 00:00 WIB. This serves that file in pieces: its header row, up to `limit` of
 * its lines from `offset`, and on the last piece the trailer row (`T,<lines>,<gross>,<net>`),
 * so the adapter reads a file of any size a piece at a time. Only a bearer token is required.
 */
export const settlementsRoute: SnapRoute = {
  method: "GET",
  path: "/v1.0/qr/settlements",
  endpoint: "settlements",
  serviceCode,
  transactional: false,
  handle({ state, report }, request, _rawBody, url) {
    const token = /^Bearer (\S+)$/i.exec(header(request, SnapHeader.authorization) ?? "")?.[1];
    if (token === undefined || !state.tokens.isValid(token)) throw snapFailure("invalidToken", serviceCode);
    const date = url.searchParams.get("date");
    if (date === null) throw snapFailure("missingMandatoryField", serviceCode, "{date}");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw snapFailure("invalidFieldFormat", serviceCode, "{date}");
    const limit = Number(url.searchParams.get("limit") ?? DEFAULT_LIMIT);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw snapFailure("invalidFieldFormat", serviceCode, "{limit}");
    }
    const source = report.source(date);
    const page = reportPage(source, url.searchParams.get("offset"), limit);
    if (page === "badCursor") throw snapFailure("invalidFieldFormat", serviceCode, "{offset}");
    const merchantId = state.options.merchant.merchantId;
    const totals = page.next === undefined ? reportTotals(source) : undefined;
    return {
      responseCode: snapResponseCode(200, serviceCode, "00"),
      responseMessage: "Successful",
      fileName: `QRIS_SETTLEMENT_${batchIdOf(merchantId, date).replace("-", "_")}.csv`,
      header: QRIS_FILE_COLUMNS.join(","),
      lines: page.entries.map((entry) => fileRow(entry, { merchantId, date })),
      ...(page.next === undefined ? {} : { nextOffset: page.next }),
      ...(totals === undefined ? {} : { trailer: `T,${totals.count},${totals.gross},${totals.net}` }),
    };
  },
};
