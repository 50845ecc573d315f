import type { IncomingMessage, ServerResponse } from "node:http";
import type { JsonObject } from "./body-fields.ts";
import { parseConfigPatch } from "./control-config.ts";
import { readBody, sendJson } from "./http-io.ts";
import type { PaymentLookup } from "./payment-store.ts";
import { ControlError, type SimActions } from "./sim-actions.ts";

async function jsonBody(request: IncomingMessage): Promise<JsonObject> {
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
  return body as JsonObject;
}

function lookup(body: JsonObject): PaymentLookup {
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  return { partnerReferenceNo: text(body.partnerReferenceNo), referenceNo: text(body.referenceNo) };
}

/**
 * The `/sim/` control API: no authentication, test-only, never part of a real provider (see
 * sandbox/README.md). Answers `{"error": "..."}` on misuse; SNAP error shapes are for SNAP routes.
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
      case "POST /sim/pay": {
        const { payment, delivery } = await actions.pay(lookup(await jsonBody(request)));
        const { referenceNo, partnerReferenceNo } = payment;
        return sendJson(response, 200, {
          status: "paid",
          referenceNo,
          partnerReferenceNo,
          notified: delivery.status,
          notifyError: delivery.error,
        });
      }
      case "POST /sim/notify": {
        const delivery = await actions.notify(lookup(await jsonBody(request)));
        return sendJson(response, 200, { notified: delivery.status, notifyError: delivery.error });
      }
      case "POST /sim/webhook": {
        const body = await jsonBody(request);
        const path = typeof body.path === "string" ? body.path : "/webhooks/qris";
        return sendJson(response, 200, actions.webhook(lookup(body), { path, forged: body.forged === true }));
      }
      case "POST /sim/config": {
        const config = actions.configure(parseConfigPatch(await jsonBody(request)));
        return sendJson(response, 200, config);
      }
      case "GET /sim/stats":
        return sendJson(response, 200, actions.stats());
      case "GET /sim/notifications":
        return sendJson(response, 200, { deliveries: actions.deliveries() });
      case "POST /sim/revoke-tokens":
        actions.revokeTokens();
        return sendJson(response, 200, { revoked: true });
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
