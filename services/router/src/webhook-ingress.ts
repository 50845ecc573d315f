import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import type { AdapterRegistry } from "./adapter-registry.ts";
import type { PaymentService } from "./payment-service.ts";

/** A webhook exactly as it arrived. */
export interface IncomingWebhook {
  method: string;
  path: string;
  headers: Array<{ name: string; value: string }>;
  body: Uint8Array;
}

/** What to answer the provider. */
export interface WebhookAnswer {
  status: number;
  contentType: string;
  body: Uint8Array | string;
}

/**
 * Hands a provider's webhook, raw, to its adapter's ParseWebhook and applies the verified events.
 * The router never interprets a provider's body itself: if the adapter does not verify it, the
 * answer is 401 and nothing changes.
 */
export function createWebhookIngress(options: {
  registry: AdapterRegistry;
  service: PaymentService;
  timeoutMs?: number;
}) {
  const { registry, service } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  // Provider event ids already applied, so an at-least-once redelivery changes nothing twice.
  const seen = new Set<string>();

  return async function handleWebhook(adapterName: string, webhook: IncomingWebhook): Promise<WebhookAnswer> {
    const handle = registry.get(adapterName);
    if (handle === undefined) return jsonAnswer(404, { error: `no adapter named ${adapterName}` });
    let parsed: Awaited<ReturnType<typeof handle.client.parseWebhook>>;
    try {
      parsed = await handle.client.parseWebhook(
        { httpMethod: webhook.method, path: webhook.path, headers: webhook.headers, body: webhook.body },
        { deadline: new Date(Date.now() + timeoutMs) },
      );
    } catch (error) {
      const failure = PaymeshError.from(error);
      if (failure.code === GrpcCode.UNAUTHENTICATED)
        return jsonAnswer(401, { error: "webhook signature did not verify" });
      if (failure.code === GrpcCode.INVALID_ARGUMENT) return jsonAnswer(400, { error: failure.message });
      // Adapter down or erroring: a 5xx makes the provider deliver again later.
      return jsonAnswer(503, { error: "webhook could not be processed now; deliver again" });
    }
    for (const event of parsed.events) {
      const key = `${adapterName}\u0000${event.eventId}`;
      if (seen.has(key)) continue;
      const applied = await service.applyWebhookEvent(adapterName, event);
      if (applied === undefined && event.paymentId === "" && event.providerReference === "") {
        throw new PaymeshError(ErrorReason.INVALID_FIELD, "webhook event names no payment");
      }
      seen.add(key);
    }
    const reply = parsed.reply;
    if (reply === undefined || reply.httpStatus === 0) return jsonAnswer(200, { received: true });
    return {
      status: reply.httpStatus,
      contentType: reply.contentType || "application/json",
      body: reply.body,
    };
  };
}

/** The webhook handler's type. */
export type WebhookIngress = ReturnType<typeof createWebhookIngress>;

function jsonAnswer(status: number, body: unknown): WebhookAnswer {
  return { status, contentType: "application/json", body: JSON.stringify(body) };
}
