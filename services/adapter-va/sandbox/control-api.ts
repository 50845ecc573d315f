import { baseControlRoutes, ControlError, type ControlRoutes, readJsonObject } from "@paymesh/sandbox-kit";
import { configFields } from "./control-config.ts";
import type { FirstDelivery } from "./notifier.ts";
import type { SimActions } from "./sim-actions.ts";

function orderId(body: Record<string, unknown>): string {
  return typeof body.order_id === "string" ? body.order_id : "";
}

function deliveryView(delivery: FirstDelivery): Record<string, unknown> {
  return { notified: delivery.status, notifyError: delivery.error, held: delivery.held };
}

/**
 * The `/sim/` control routes (see sandbox/README.md). Misuse is answered `{"error": "..."}` by
 * sandbox-kit; Midtrans error shapes are for API routes.
 */
export function controlRoutes(actions: SimActions): ControlRoutes {
  async function move(to: "pay" | "expire", body: Record<string, unknown>) {
    const { transaction, delivery } = await actions[to](orderId(body));
    return {
      order_id: transaction.orderId,
      transaction_id: transaction.transactionId,
      transaction_status: transaction.status,
      ...deliveryView(delivery),
    };
  }
  return {
    ...baseControlRoutes(actions, configFields),
    "POST /sim/pay": async (request) => move("pay", await readJsonObject(request)),
    "POST /sim/expire": async (request) => move("expire", await readJsonObject(request)),
    async "POST /sim/status"(request) {
      const body = await readJsonObject(request);
      const text = (name: string) => (typeof body[name] === "string" ? body[name] : undefined);
      const status = text("transaction_status");
      if (status === undefined) throw new ControlError(400, "give transaction_status");
      const statusCode = text("status_code");
      const fraudStatus = text("fraud_status");
      const { transaction, delivery } = await actions.setStatus(orderId(body), {
        transaction_status: status,
        ...(statusCode === undefined ? {} : { status_code: statusCode }),
        ...(fraudStatus === undefined ? {} : { fraud_status: fraudStatus }),
        notify: body.notify === true,
      });
      return {
        order_id: transaction.orderId,
        transaction_id: transaction.transactionId,
        ...transaction.reported,
        ...(delivery === undefined ? {} : deliveryView(delivery)),
      };
    },
    "POST /sim/notify": async (request) =>
      deliveryView(await actions.notify(orderId(await readJsonObject(request)))),
    async "POST /sim/webhook"(request) {
      const body = await readJsonObject(request);
      const path = typeof body.path === "string" ? body.path : undefined;
      const options = { forged: body.forged === true, ...(path === undefined ? {} : { path }) };
      return actions.webhook(orderId(body), options);
    },
    "GET /sim/notifications": () => ({ deliveries: actions.deliveries() }),
  };
}
