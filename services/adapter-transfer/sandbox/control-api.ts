import type { IncomingMessage, ServerResponse } from "node:http";
import type { JsonObject } from "./body-fields.ts";
import { parseConfigPatch } from "./control-config.ts";
import { readBody, sendJson } from "./http-io.ts";
import { isFailureCode } from "./magic-values.ts";
import {
  type CompletionOutcome,
  ControlError,
  type DisbursementLookup,
  type SimActions,
} from "./sim-actions.ts";

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

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

function lookup(body: JsonObject): DisbursementLookup {
  return { id: text(body.id), externalId: text(body.external_id) };
}

function outcome(body: JsonObject): CompletionOutcome {
  const { status, failure_code: failureCode } = body;
  if (status !== undefined && status !== "COMPLETED" && status !== "FAILED") {
    throw new ControlError(400, 'status must be "COMPLETED" or "FAILED"');
  }
  if (failureCode !== undefined && !isFailureCode(failureCode)) {
    throw new ControlError(400, "failure_code must be a documented Xendit failure code");
  }
  return { status, failureCode };
}

/**
 * The `/sim/` control API: no authentication, test-only, never part of Xendit (see
 * sandbox/README.md). Answers `{"error": "..."}` on misuse; Xendit's error shape is for API routes.
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
      case "POST /sim/complete": {
        const body = await jsonBody(request);
        const { disbursement, delivery } = await actions.complete(lookup(body), outcome(body));
        return sendJson(response, 200, {
          id: disbursement.id,
          external_id: disbursement.externalId,
          status: disbursement.status,
          failure_code: disbursement.failureCode ?? null,
          notified: delivery.status,
          ...(delivery.held === true ? { held: true } : {}),
          ...(delivery.error === undefined ? {} : { notifyError: delivery.error }),
        });
      }
      case "POST /sim/notify": {
        const delivery = await actions.notify(lookup(await jsonBody(request)));
        return sendJson(response, 200, { notified: delivery.status, notifyError: delivery.error });
      }
      case "POST /sim/webhook": {
        const body = await jsonBody(request);
        const path = text(body.path) ?? "/webhooks/transfer";
        return sendJson(response, 200, actions.webhook(lookup(body), { path, forged: body.forged === true }));
      }
      case "POST /sim/config":
        return sendJson(response, 200, await actions.configure(parseConfigPatch(await jsonBody(request))));
      case "GET /sim/stats":
        return sendJson(response, 200, actions.stats());
      case "GET /sim/callbacks":
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
