import type { IncomingMessage, ServerResponse } from "node:http";
import { parseConfigPatch } from "./control-config.ts";
import { readBody, sendJson } from "./http-io.ts";
import type { FirstDelivery } from "./notifier.ts";
import { ControlError, type SimActions } from "./sim-actions.ts";

async function jsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = (await readBody(request)).toString("utf8");
  if (raw === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new ControlError(400, "body is not JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ControlError(400, "body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

function orderId(body: Record<string, unknown>): string {
  return typeof body.order_id === "string" ? body.order_id : "";
}

function deliveryView(delivery: FirstDelivery): Record<string, unknown> {
  return { notified: delivery.status, notifyError: delivery.error, held: delivery.held };
}

/**
 * The `/sim/` control API: no authentication, test-only, never part of a real provider (see
 * sandbox/README.md). Answers `{"error": "..."}` on misuse; Midtrans error shapes are for API routes.
 */
export async function handleControl(
  actions: SimActions,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const route = `${request.method} ${url.pathname}`;
  try {
    switch (route) {
      case "POST /sim/pay":
      case "POST /sim/expire": {
        const id = orderId(await jsonBody(request));
        const moved = route === "POST /sim/pay" ? await actions.pay(id) : await actions.expire(id);
        const { transaction, delivery } = moved;
        return sendJson(response, 200, {
          order_id: transaction.orderId,
          transaction_id: transaction.transactionId,
          transaction_status: transaction.status,
          ...deliveryView(delivery),
        });
      }
      case "POST /sim/notify":
        return sendJson(response, 200, deliveryView(await actions.notify(orderId(await jsonBody(request)))));
      case "POST /sim/webhook": {
        const body = await jsonBody(request);
        const path = typeof body.path === "string" ? body.path : undefined;
        const options = { forged: body.forged === true, ...(path === undefined ? {} : { path }) };
        return sendJson(response, 200, actions.webhook(orderId(body), options));
      }
      case "POST /sim/config":
        return sendJson(response, 200, actions.configure(parseConfigPatch(await jsonBody(request))));
      case "GET /sim/stats":
        return sendJson(response, 200, actions.stats());
      case "GET /sim/notifications":
        return sendJson(response, 200, { deliveries: actions.deliveries() });
      case "POST /sim/reset":
        actions.reset();
        return sendJson(response, 200, { reset: true });
      default:
        throw new ControlError(404, `no control route ${route}`);
    }
  } catch (error) {
    if (error instanceof ControlError) return sendJson(response, error.status, { error: error.message });
    throw error;
  }
}
