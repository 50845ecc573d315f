import type { IncomingMessage, ServerResponse } from "node:http";
import type { JsonRecord } from "../src/wise-json.ts";
import { parseConfigPatch } from "./control-config.ts";
import { readBody, sendJson } from "./http-io.ts";
import { ControlError, type SimActions, type TransferLookup } from "./sim-actions.ts";

async function jsonBody(request: IncomingMessage): Promise<JsonRecord> {
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
  return body as JsonRecord;
}

function lookup(body: JsonRecord): TransferLookup {
  const id = body.transferId;
  return {
    transferId: typeof id === "number" || typeof id === "string" ? id : undefined,
    customerTransactionId:
      typeof body.customerTransactionId === "string" ? body.customerTransactionId : undefined,
  };
}

/**
 * The `/sim/` control API: no authentication, test-only, never part of the real provider (see
 * sandbox/README.md). Answers `{"error": "..."}` on misuse; Wise's error shapes are for Wise routes.
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
      case "POST /sim/advance": {
        const body = await jsonBody(request);
        const to = typeof body.to === "string" ? body.to : "complete";
        const { transfer, deliveries } = await actions.advance(lookup(body), to);
        return sendJson(response, 200, {
          transferId: transfer.id,
          state: transfer.state,
          notified: deliveries.map((d) => ({ state: d.state, status: d.status, error: d.error })),
        });
      }
      case "POST /sim/notify": {
        const deliveries = await actions.notify(lookup(await jsonBody(request)));
        return sendJson(response, 200, {
          notified: deliveries.map((d) => ({ state: d.state, status: d.status })),
        });
      }
      case "POST /sim/webhook": {
        const body = await jsonBody(request);
        const path = typeof body.path === "string" ? body.path : undefined;
        return sendJson(
          response,
          200,
          actions.webhook(lookup(body), {
            forged: body.forged === true,
            ...(path === undefined ? {} : { path }),
          }),
        );
      }
      case "POST /sim/expire-quote": {
        const body = await jsonBody(request);
        if (typeof body.quoteId !== "string") throw new ControlError(400, "give quoteId");
        actions.expireQuote(body.quoteId);
        return sendJson(response, 200, { quoteId: body.quoteId, status: "EXPIRED" });
      }
      case "POST /sim/config":
        return sendJson(response, 200, actions.configure(parseConfigPatch(await jsonBody(request))));
      case "GET /sim/stats":
        return sendJson(response, 200, actions.stats());
      case "GET /sim/webhooks":
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
