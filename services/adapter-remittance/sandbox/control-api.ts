import { baseControlRoutes, ControlError, type ControlRoutes, readJsonObject } from "@paymesh/sandbox-kit";
import { configFields } from "./control-config.ts";
import type { JsonRecord } from "./exact-numbers.ts";
import type { SimActions, TransferLookup } from "./sim-actions.ts";

function lookup(body: JsonRecord): TransferLookup {
  const id = body.transferId;
  return {
    transferId: typeof id === "number" || typeof id === "string" ? id : undefined,
    customerTransactionId:
      typeof body.customerTransactionId === "string" ? body.customerTransactionId : undefined,
  };
}

/**
 * The `/sim/` control routes, never part of the real provider (see sandbox/README.md). Misuse is
 * answered `{"error": "..."}` by sandbox-kit; Wise's error shapes are for Wise routes.
 */
export function controlRoutes(actions: SimActions): ControlRoutes {
  return {
    ...baseControlRoutes(actions, configFields),
    async "POST /sim/advance"(request) {
      const body = await readJsonObject(request);
      const to = typeof body.to === "string" ? body.to : "complete";
      const { transfer, deliveries } = await actions.advance(lookup(body), to);
      return {
        transferId: transfer.id,
        state: transfer.state,
        notified: deliveries.map((d) => ({ state: d.state, status: d.status, error: d.error })),
      };
    },
    async "POST /sim/notify"(request) {
      const deliveries = await actions.notify(lookup(await readJsonObject(request)));
      return { notified: deliveries.map((d) => ({ state: d.state, status: d.status })) };
    },
    async "POST /sim/webhook"(request) {
      const body = await readJsonObject(request);
      const path = typeof body.path === "string" ? body.path : undefined;
      return actions.webhook(lookup(body), {
        forged: body.forged === true,
        ...(path === undefined ? {} : { path }),
      });
    },
    async "POST /sim/expire-quote"(request) {
      const body = await readJsonObject(request);
      if (typeof body.quoteId !== "string") throw new ControlError(400, "give quoteId");
      actions.expireQuote(body.quoteId);
      return { quoteId: body.quoteId, status: "EXPIRED" };
    },
    "GET /sim/webhooks": () => ({ deliveries: actions.deliveries() }),
  };
}
