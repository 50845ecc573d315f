import { failures } from "./midtrans-failure.ts";
import { checkServerKey } from "./request-auth.ts";
import type { MidtransRoute } from "./route.ts";
import { grossAmountText } from "./transaction-view.ts";
import { wibDate, wibDateTime } from "./wib-time.ts";

/**
 * `GET /v2/settlements?date=yyyy-MM-dd` — NOT a Midtrans API, simulator-only. Midtrans gives
 * settlement as dashboard and file reports; this serves the same facts (VA payments settled on a
 * WIB day, with the fee) as JSON so the adapter's ListSettlements has something to read.
 */
export const settlementsRoute: MidtransRoute = {
  method: "GET",
  pattern: /^\/v2\/settlements$/,
  endpoint: "settlements",
  transactional: false,
  handle({ state }, request, _rawBody, _id, url) {
    checkServerKey(request, state.options.serverKey);
    const date = url.searchParams.get("date") ?? "";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw failures.validation(["date must be yyyy-MM-dd"]);
    const fee = state.options.feeMinorUnits;
    const settlements = state.transactions
      .list()
      .filter((t) => t.status === "settlement" && wibDate(t.statusChangedAt) === date)
      .map((t) => ({
        order_id: t.orderId,
        transaction_id: t.transactionId,
        payment_type: "bank_transfer",
        bank: t.bank,
        gross_amount: grossAmountText(t),
        fee_amount: `${fee / 100n}.${String(fee % 100n).padStart(2, "0")}`,
        settlement_time: wibDateTime(t.statusChangedAt),
      }));
    return { status_code: "200", status_message: "Success, settlement report", date, settlements };
  },
};
