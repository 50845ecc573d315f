import { baseControlRoutes, ControlError, type ControlRoutes, readJsonObject } from "@paymesh/sandbox-kit";
import type { JsonObject } from "./body-fields.ts";
import { configFields } from "./control-config.ts";
import type { PaymentLookup } from "./payment-store.ts";
import { statusView } from "./payment-view.ts";
import type { SimActions } from "./sim-actions.ts";

function lookup(body: JsonObject): PaymentLookup {
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  return { partnerReferenceNo: text(body.partnerReferenceNo), referenceNo: text(body.referenceNo) };
}

/**
 * The `/sim/` control routes (see sandbox/README.md). Misuse is answered `{"error": "..."}` by
 * sandbox-kit; SNAP error shapes are for SNAP routes.
 */
export function controlRoutes(actions: SimActions): ControlRoutes {
  return {
    ...baseControlRoutes(actions, configFields),
    async "POST /sim/pay"(request) {
      const { payment, delivery } = await actions.pay(lookup(await readJsonObject(request)));
      const { referenceNo, partnerReferenceNo } = payment;
      return {
        status: "paid",
        referenceNo,
        partnerReferenceNo,
        notified: delivery.status,
        notifyError: delivery.error,
      };
    },
    async "POST /sim/notify"(request) {
      const delivery = await actions.notify(lookup(await readJsonObject(request)));
      return { notified: delivery.status, notifyError: delivery.error };
    },
    async "POST /sim/status"(request) {
      const body = await readJsonObject(request);
      const status = body.latestTransactionStatus;
      if (typeof status !== "string") throw new ControlError(400, "give latestTransactionStatus");
      const desc = body.transactionStatusDesc;
      const { payment, delivery } = await actions.setStatus(lookup(body), {
        latestTransactionStatus: status,
        transactionStatusDesc: typeof desc === "string" ? desc : undefined,
        notify: body.notify === true,
      });
      return {
        ...statusView(payment),
        referenceNo: payment.referenceNo,
        partnerReferenceNo: payment.partnerReferenceNo,
        ...(delivery === undefined ? {} : { notified: delivery.status, notifyError: delivery.error }),
      };
    },
    async "POST /sim/webhook"(request) {
      const body = await readJsonObject(request);
      const path = typeof body.path === "string" ? body.path : "/webhooks/qris";
      return actions.webhook(lookup(body), {
        path,
        forged: body.forged === true,
        pretty: body.pretty === true,
      });
    },
    "GET /sim/notifications": () => ({ deliveries: actions.deliveries() }),
    "POST /sim/revoke-tokens": () => {
      actions.revokeTokens();
      return { revoked: true };
    },
  };
}
