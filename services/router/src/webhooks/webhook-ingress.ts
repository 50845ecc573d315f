import { CLAIMED_PAYMENT_ID_KEY, CLAIMED_PROVIDER_REFERENCE_KEY, PaymeshError } from "@paymesh/adapter-kit";
import type { OutgoingMessage, QueueMessage, WorkQueue } from "@paymesh/queue";
import type { PaymentStore } from "@paymesh/store";
import { classifyAdapterError } from "../adapters/adapter-error-class.ts";
import type { AdapterRegistry } from "../adapters/adapter-handle.ts";
import { withTimeLimit } from "../time-limit.ts";
import { checkUnverifiedClaim } from "./unverified-claim.ts";
import { webhookJobMessage } from "./webhook-jobs.ts";

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

/** What the ingress did, for logs and metrics. */
export type WebhookIngressEvent =
  | { kind: "accepted"; adapter: string; events: number }
  /** The adapter verified the webhook and parsed its events (it may still be refused after). */
  | { kind: "verified"; adapter: string; events: number }
  | { kind: "rejected"; adapter: string; status: number; reason: string }
  | {
      kind: "claim-checked";
      adapter: string;
      paymentId: string;
      providerReference: string;
      scheduled: boolean;
    };

/** Options for createWebhookIngress. */
export interface WebhookIngressOptions {
  registry: AdapterRegistry;
  /** Where the payments an unverified webhook may name are looked up. */
  store: PaymentStore;
  /** Where verified events wait to be applied. */
  queue: Pick<WorkQueue, "enqueue">;
  /** Media types each adapter's webhooks may use. @default () => ["application/json"] */
  contentTypes?: (adapter: string) => readonly string[];
  /** Bound on the adapter's ParseWebhook. @default 10000 */
  timeoutMs?: number;
  /** Bound on putting the events on the queue (the broker's confirm); past it the answer is 503. @default 5000 */
  enqueueTimeoutMs?: number;
  /**
   * For a queue that does not survive the process (the in-process one): each event is first applied
   * here, before the provider is answered, and only a failed one goes on the queue for its retries.
   * A crash after the answer then loses no applied event. Unset for a durable queue (RabbitMQ).
   */
  applyFirst?: (message: QueueMessage) => Promise<void>;
  onEvent?: (event: WebhookIngressEvent) => void;
}

/**
 * Receives a provider's webhook: checks its media type, hands the raw bytes to the adapter's
 * ParseWebhook (the router never interprets a provider's body itself), and puts each verified event
 * on the webhook work queue, answering the provider only once the queue has them. Anything the
 * adapter does not verify is answered 401 and changes nothing; when such a body still names one of
 * our payments, the provider is asked for that payment's status instead of trusting the body.
 */
export function createWebhookIngress(options: WebhookIngressOptions) {
  const { registry, store, queue } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const enqueueTimeoutMs = options.enqueueTimeoutMs ?? 5_000;
  const contentTypes = options.contentTypes ?? (() => ["application/json"]);
  const emit = options.onEvent ?? (() => {});

  return async function handleWebhook(adapterName: string, webhook: IncomingWebhook): Promise<WebhookAnswer> {
    const reject = (status: number, reason: string): WebhookAnswer => {
      emit({ kind: "rejected", adapter: adapterName, status, reason });
      return jsonAnswer(status, { error: reason });
    };
    const handle = registry.get(adapterName);
    if (handle === undefined) return reject(404, `no adapter named ${adapterName}`);
    const mediaType = mediaTypeOf(webhook.headers);
    if (!contentTypes(adapterName).includes(mediaType)) {
      return reject(415, `content-type must be one of ${contentTypes(adapterName).join(", ")}`);
    }
    let parsed: Awaited<ReturnType<typeof handle.client.parseWebhook>>;
    try {
      parsed = await handle.client.parseWebhook(
        { httpMethod: webhook.method, path: webhook.path, headers: webhook.headers, body: webhook.body },
        { deadline: new Date(Date.now() + timeoutMs) },
      );
    } catch (error) {
      const failure = PaymeshError.from(error);
      const status = classifyAdapterError(failure).webhookStatus;
      if (status === 401) {
        await checkClaim(adapterName, failure);
        return reject(401, "webhook signature did not verify");
      }
      if (status === 400) return reject(400, failure.message);
      // Adapter down or erroring: a 5xx makes the provider deliver again later.
      return reject(503, "webhook could not be processed now; deliver again");
    }
    emit({ kind: "verified", adapter: adapterName, events: parsed.events.length });
    const unnamed = parsed.events.find((event) => event.paymentId === "" && event.providerReference === "");
    if (unnamed !== undefined) return reject(400, `webhook event ${unnamed.eventId} names no payment`);
    try {
      const queued = Promise.all(
        parsed.events.map((event) => accept(webhookJobMessage({ adapter: adapterName, event }))),
      );
      await withTimeLimit(queued, enqueueTimeoutMs, "the queue did not confirm in time");
    } catch {
      // Not safely queued: the provider must deliver again. Copies already queued are deduplicated.
      return reject(503, "webhook could not be queued now; deliver again");
    }
    emit({ kind: "accepted", adapter: adapterName, events: parsed.events.length });
    const reply = parsed.reply;
    if (reply === undefined || reply.httpStatus === 0) return jsonAnswer(200, { received: true });
    return {
      status: reply.httpStatus,
      contentType: reply.contentType || "application/json",
      body: reply.body,
    };
  };

  /** Queues one event; with applyFirst, applies it first and queues it only for its retries. */
  async function accept(message: OutgoingMessage): Promise<void> {
    if (options.applyFirst !== undefined) {
      try {
        await options.applyFirst({
          ...message,
          headers: { ...message.headers },
          attempts: 1,
          routingKey: "",
        });
        return;
      } catch {
        // The queue retries it with its delays and dead-letters it in the end, as for any job.
      }
    }
    await queue.enqueue(message);
  }

  /** Asks the provider about the payment an unverified webhook names, if it names one of ours. */
  async function checkClaim(adapter: string, failure: PaymeshError): Promise<void> {
    const paymentId = failure.metadata[CLAIMED_PAYMENT_ID_KEY] ?? "";
    const providerReference = failure.metadata[CLAIMED_PROVIDER_REFERENCE_KEY] ?? "";
    if (paymentId === "" && providerReference === "") return;
    try {
      const scheduled = await checkUnverifiedClaim(store, { adapter, paymentId, providerReference });
      emit({ kind: "claim-checked", adapter, paymentId, providerReference, scheduled });
    } catch {
      // The 401 stands either way; the resolver's own schedule still covers the payment.
    }
  }
}

/** The webhook handler's type. */
export type WebhookIngress = ReturnType<typeof createWebhookIngress>;

/** "application/json" from "Application/JSON; charset=utf-8"; "" when absent. */
function mediaTypeOf(headers: IncomingWebhook["headers"]): string {
  const value = headers.find((header) => header.name.toLowerCase() === "content-type")?.value ?? "";
  return (value.split(";")[0] ?? "").trim().toLowerCase();
}

function jsonAnswer(status: number, body: unknown): WebhookAnswer {
  return { status, contentType: "application/json", body: JSON.stringify(body) };
}
