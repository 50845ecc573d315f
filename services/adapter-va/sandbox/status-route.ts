import { failures } from "./midtrans-failure.ts";
import { checkServerKey } from "./request-auth.ts";
import type { MidtransRoute } from "./route.ts";
import { statusAnswer } from "./transaction-view.ts";

/**
 * `GET /v2/{order_id}/status` (order_id or transaction_id): the transaction as it is now, expiry
 * applied. An expired one answers status_code 407 with the full body: an expected answer, not
 * an error. Unknown ids are 404.
 */
export const statusRoute: MidtransRoute = {
  method: "GET",
  pattern: /^\/v2\/([^/]+)\/status$/,
  endpoint: "status",
  transactional: true,
  handle({ state }, request, _rawBody, id) {
    checkServerKey(request, state.options.serverKey);
    const transaction = state.transactions.find(id);
    if (transaction === undefined) throw failures.notFound();
    return statusAnswer(transaction, state.options.merchantId, state.options.serverKey);
  },
};
