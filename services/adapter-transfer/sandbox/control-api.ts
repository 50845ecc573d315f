import { baseControlRoutes, ControlError, type ControlRoutes, readJsonObject } from "@paymesh/sandbox-kit";
import type { JsonObject } from "./body-fields.ts";
import { configFields } from "./control-config.ts";
import { isFailureCode } from "./magic-values.ts";
import type { CompletionOutcome, DisbursementLookup, SimActions } from "./sim-actions.ts";

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
 * The `/sim/` control routes, never part of Xendit (see sandbox/README.md). Misuse is answered
 * `{"error": "..."}` by sandbox-kit; Xendit's error shape is for API routes.
 */
export function controlRoutes(actions: SimActions): ControlRoutes {
  return {
    ...baseControlRoutes(actions, configFields),
    async "POST /sim/complete"(request) {
      const body = await readJsonObject(request);
      const { disbursement, delivery } = await actions.complete(lookup(body), outcome(body));
      return {
        id: disbursement.id,
        external_id: disbursement.externalId,
        status: disbursement.status,
        failure_code: disbursement.failureCode ?? null,
        notified: delivery.status,
        ...(delivery.held === true ? { held: true } : {}),
        ...(delivery.error === undefined ? {} : { notifyError: delivery.error }),
      };
    },
    async "POST /sim/notify"(request) {
      const delivery = await actions.notify(lookup(await readJsonObject(request)));
      return { notified: delivery.status, notifyError: delivery.error };
    },
    async "POST /sim/webhook"(request) {
      const body = await readJsonObject(request);
      const path = text(body.path) ?? "/webhooks/transfer";
      return actions.webhook(lookup(body), { path, forged: body.forged === true });
    },
    async "POST /sim/add-sibling"(request) {
      const body = await readJsonObject(request);
      const offset = body.createdOffsetMs;
      if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset === 0) {
        throw new ControlError(400, "createdOffsetMs must be a non-zero whole number of milliseconds");
      }
      const added = actions.addSibling(lookup(body), {
        createdOffsetMs: offset,
        status: text(body.status),
        failureCode: text(body.failure_code),
      });
      return { id: added.id, external_id: added.externalId, created: added.created.toISOString() };
    },
    async "POST /sim/override"(request) {
      const body = await readJsonObject(request);
      const status = text(body.status);
      const failureCode = text(body.failure_code);
      if (status === undefined && failureCode === undefined) {
        throw new ControlError(400, "give status or failure_code (any string)");
      }
      const changed = actions.override(lookup(body), { status, failureCode });
      return { id: changed.id, status: changed.status, failure_code: changed.failureCode ?? null };
    },
    "GET /sim/callbacks": () => ({ deliveries: actions.deliveries() }),
  };
}
