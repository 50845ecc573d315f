import { fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import { adapterv1 } from "@paymesh/proto";
import type { OutgoingMessage, QueueMessage } from "@paymesh/queue";
import type { PaymentRecord } from "@paymesh/store";
import { inSpan, linkTo, traceHeaders } from "@paymesh/telemetry";

/** One verified provider event waiting to be applied: what the webhook work queue carries. */
export interface WebhookJob {
  adapter: string;
  event: adapterv1.WebhookEvent;
}

/**
 * A job as a queue message. The body is JSON (the event in protobuf's JSON mapping), so an
 * operator reading a dead letter sees what the provider said. The message id is the provider's
 * event id under its adapter: every copy of one event carries the same id. The headers carry the
 * trace context of the webhook's ingress (`traceparent`), which the job's apply span links to.
 */
export function webhookJobMessage(job: WebhookJob): OutgoingMessage {
  const body = { adapter: job.adapter, event: toJson(adapterv1.WebhookEventSchema, job.event) };
  return {
    id: `${job.adapter}:${job.event.eventId}`,
    body: new TextEncoder().encode(JSON.stringify(body)),
    headers: { ...traceHeaders(), "content-type": "application/json", "x-paymesh-adapter": job.adapter },
  };
}

/** Reads a job back; a body that is not one is an error the queue retries and then dead-letters. */
export function readWebhookJob(message: QueueMessage): WebhookJob {
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(message.body));
  } catch {
    throw new Error(`message ${message.id} is not a JSON webhook job`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`message ${message.id} is not a webhook job: it needs "adapter" and "event"`);
  }
  const { adapter, event } = parsed;
  if (typeof adapter !== "string" || adapter === "")
    throw new Error(`message ${message.id} names no adapter`);
  if (event === undefined) throw new Error(`message ${message.id} carries no event`);
  return { adapter, event: fromJson(adapterv1.WebhookEventSchema, event) };
}

/** Applies one verified event (applyWebhookEvent over a store); undefined when no payment matches. */
export interface WebhookEventApplier {
  applyWebhookEvent(adapter: string, event: adapterv1.WebhookEvent): Promise<PaymentRecord | undefined>;
}

/**
 * The work queue's handler: applies one verified provider event. A throw makes the queue retry
 * with growing delays and, after its last attempt, park the job in the dead-letter queue with the
 * message as the reason. Applying is idempotent by event id, so a redelivery changes nothing twice.
 *
 * Each run is a span, `paymesh.webhook.apply`, linked to the webhook's ingress (the trace context
 * the message carries, whichever process and however much later it is applied) and to the trace
 * that created the payment.
 */
export function createWebhookJobHandler(service: WebhookEventApplier) {
  return async function handleWebhookJob(message: QueueMessage): Promise<void> {
    const links = linkTo(message.headers.traceparent, { "paymesh.link": "webhook.ingress" });
    await inSpan(
      "paymesh.webhook.apply",
      { links, attributes: { "messaging.message.id": message.id } },
      async (span) => {
        const job = readWebhookJob(message);
        span.setAttributes({
          "paymesh.adapter": job.adapter,
          "paymesh.provider_event_id": job.event.eventId,
        });
        const applied = await service.applyWebhookEvent(job.adapter, job.event);
        if (applied === undefined) {
          const names =
            job.event.paymentId !== ""
              ? `payment ${job.event.paymentId}`
              : `provider reference ${job.event.providerReference}`;
          throw new Error(
            `no payment of adapter ${job.adapter} matches ${names} (event ${job.event.eventId})`,
          );
        }
        span.setAttribute("paymesh.payment_id", applied.id);
        span.addLinks(linkTo(applied.traceParent, { "paymesh.link": "payment.created" }));
      },
    );
  };
}
