import { failures } from "./midtrans-failure.ts";
import { checkServerKey } from "./request-auth.ts";
import type { MidtransRoute } from "./route.ts";
import { transactionView } from "./transaction-view.ts";

/**
 * `POST /v2/{order_id}/cancel`: a pending VA is cancelled (status_code 200,
 * transaction_status `cancel`) and the cancel notification sent. Anything no longer pending —
 * settled, expired, denied, already cancelled — is 412 "cannot modify" (the simulator's reading
 * of docs/providers.md; whether a repeated cancel answers 412 or 200 at Midtrans is *unconfirmed*).
 */
export const cancelRoute: MidtransRoute = {
  method: "POST",
  pattern: /^\/v2\/([^/]+)\/cancel$/,
  endpoint: "cancel",
  transactional: true,
  handle({ state, notify }, request, _rawBody, id) {
    checkServerKey(request, state.options.serverKey);
    const transaction = state.transactions.find(id);
    if (transaction === undefined) throw failures.notFound();
    if (transaction.status !== "pending") throw failures.cannotModify();
    transaction.status = "cancel";
    transaction.statusChangedAt = state.options.clock();
    notify(transaction);
    return {
      ...transactionView(transaction, state.options.merchantId),
      status_message: "Success, transaction is canceled",
    };
  },
};
