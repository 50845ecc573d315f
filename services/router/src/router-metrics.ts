import { type PaymentMethodType, PaymentStatus } from "@paymesh/proto";
import type { WorkQueue } from "@paymesh/queue";
import type { PolicyEvent } from "@paymesh/resilience";
import { methodType, type PaymentRecord, type PaymentStore } from "@paymesh/store";
import { grpcCodeName, type Metrics, rpcDurationHistogram, scrapeRead } from "@paymesh/telemetry";
import type { AdapterRegistry } from "./adapters/adapter-handle.ts";
import type { AdapterStatus } from "./adapters/adapter-monitor.ts";
import type { RelayEvent } from "./events/outbox-relay.ts";
import type { WebhookApplyResult } from "./payments/payment-observation.ts";
import type { ResolverEvent } from "./payments/status-resolver.ts";
import { METHOD_TYPES, type MethodName } from "./router-config.ts";
import type { FinishedRpc } from "./server/rpc-observation.ts";
import type { WebhookIngressEvent } from "./webhooks/webhook-ingress.ts";

/** What CreatePayment's idempotency check found: a new key, a replayed answer, a key in use or reused. */
export type IdempotencyOutcome = "new" | "replay" | "in_use" | "reused";

/** The breaker states as the breaker gauge labels them (Prometheus label values use underscores). */
const BREAKER_STATES = ["closed", "open", "half_open", "isolated"] as const;

const METHOD_NAMES = new Map(
  Object.entries(METHOD_TYPES).map(([name, type]) => [type, name as MethodName] as const),
);
const FINAL_STATUS: Partial<Record<PaymentStatus, string>> = {
  [PaymentStatus.SUCCEEDED]: "succeeded",
  [PaymentStatus.FAILED]: "failed",
  [PaymentStatus.CANCELED]: "canceled",
  [PaymentStatus.EXPIRED]: "expired",
};

/** Where the scrape-time gauges read from. */
export interface RouterGaugeSources {
  /** Breaker state and reachability per adapter. */
  adapters: () => AdapterStatus[];
  /** Each adapter's bulkhead. */
  registry: AdapterRegistry;
  store: Pick<PaymentStore, "gauges">;
  webhookQueue: Pick<WorkQueue, "name" | "sizes">;
  /** Bound on each backend read of a scrape. @default 1000 */
  timeoutMs?: number;
  clock?: () => Date;
}

/**
 * The router's metrics (names fixed in docs/architecture.md, "Metrics and health"): counters fed
 * by the router's events, and gauges read at scrape time. Every adapter label is a configured
 * adapter's name or "unknown", so no request can add a series.
 */
export function createRouterMetrics(metrics: Metrics, adapterNames: readonly string[]) {
  const known = new Set(adapterNames);
  const adapterLabel = (name: string): string => (known.has(name) ? name : "unknown");
  const methodLabel = (type: PaymentMethodType): string => METHOD_NAMES.get(type) ?? "unknown";

  const rpcDuration = rpcDurationHistogram(metrics);
  const created = metrics.counter(
    "paymesh_payments_created_total",
    "Payments recorded (retries of one idempotency key count once), by adapter and method.",
    ["adapter", "method"],
  );
  const finished = metrics.counter(
    "paymesh_payments_finished_total",
    "Payments entering a final status, by adapter, method and status (succeeded|failed|canceled|expired).",
    ["adapter", "method", "status"],
  );
  const adapterCalls = metrics.histogram(
    "paymesh_adapter_call_duration_seconds",
    "Router to adapter gRPC calls by adapter, operation (the RPC) and gRPC status code name, in seconds.",
    ["adapter", "operation", "code"],
  );
  const policyEvents = metrics.counter(
    "paymesh_adapter_policy_events_total",
    "Retries, timeouts, breaker changes and bulkhead rejections per adapter.",
    ["adapter", "type"],
  );
  const idempotency = metrics.counter(
    "paymesh_idempotency_outcomes_total",
    "What CreatePayment's idempotency check found: new, replay, in_use or reused.",
    ["outcome"],
  );
  const webhooksReceived = metrics.counter(
    "paymesh_webhooks_received_total",
    "Webhooks received per adapter (unconfigured names count as adapter unknown).",
    ["adapter"],
  );
  const webhooksRefused = metrics.counter(
    "paymesh_webhooks_refused_total",
    "Webhooks answered with an error, by adapter and the HTTP status refusing them.",
    ["adapter", "status"],
  );
  const webhooksVerified = metrics.counter(
    "paymesh_webhooks_verified_total",
    "Webhooks the adapter verified (signature, token) and parsed.",
    ["adapter"],
  );
  const webhooksApplied = metrics.counter(
    "paymesh_webhooks_applied_total",
    "Verified webhook events applied to their payment: applied, ignored (would move it backwards), same_status or duplicate.",
    ["adapter", "result"],
  );
  const claimsChecked = metrics.counter(
    "paymesh_webhook_claims_checked_total",
    "Unverified webhooks naming a payment of ours, for which the provider was asked.",
    ["adapter"],
  );
  const jobFailures = metrics.counter(
    "paymesh_webhook_job_failures_total",
    "Failed attempts to apply a queued webhook event (retried, then dead-lettered).",
    [],
  );
  const resolverEvents = metrics.counter(
    "paymesh_resolver_events_total",
    "What the status resolver did: resolved, retry, review.",
    ["kind"],
  );
  const unknownStatus = metrics.counter(
    "paymesh_unknown_provider_status_total",
    "Provider answers with a status their adapter does not know, kept for the resolver (raw value in the log).",
    ["adapter"],
  );
  const outboxEvents = metrics.counter(
    "paymesh_outbox_events_total",
    "Payment events the outbox relay published, or failed to publish (kept for a later pass).",
    ["result"],
  );

  return {
    rpcFinished(rpc: FinishedRpc): void {
      rpcDuration.observe(
        { method: rpc.method, code: grpcCodeName(rpc.code), transport: rpc.transport },
        rpc.durationMs / 1000,
      );
    },
    adapterCall(adapter: string, call: { method: string; code: number; durationMs: number }): void {
      adapterCalls.observe(
        { adapter: adapterLabel(adapter), operation: call.method, code: grpcCodeName(call.code) },
        call.durationMs / 1000,
      );
    },
    paymentCreated(record: PaymentRecord): void {
      created.inc({ adapter: adapterLabel(record.adapter), method: methodLabel(methodType(record.method)) });
    },
    paymentFinished(record: PaymentRecord): void {
      const status = FINAL_STATUS[record.status];
      if (status === undefined) return;
      finished.inc({
        adapter: adapterLabel(record.adapter),
        method: methodLabel(methodType(record.method)),
        status,
      });
    },
    webhookApplied(adapter: string, result: WebhookApplyResult): void {
      webhooksApplied.inc({ adapter: adapterLabel(adapter), result });
    },
    idempotencyOutcome(outcome: IdempotencyOutcome): void {
      idempotency.inc({ outcome });
    },
    policyEvent(event: PolicyEvent): void {
      policyEvents.inc({ adapter: adapterLabel(event.adapter), type: event.type });
    },
    resolverEvent(event: ResolverEvent): void {
      resolverEvents.inc({ kind: event.kind });
      if (event.kind === "retry" && event.unknownProviderStatus)
        unknownStatus.inc({ adapter: adapterLabel(event.adapter) });
    },
    webhookEvent(event: WebhookIngressEvent): void {
      const adapter = adapterLabel(event.adapter);
      if (event.kind === "claim-checked") claimsChecked.inc({ adapter });
      else if (event.kind === "verified") webhooksVerified.inc({ adapter });
      else {
        // Every webhook ends accepted or rejected, once.
        webhooksReceived.inc({ adapter });
        if (event.kind === "rejected") webhooksRefused.inc({ adapter, status: String(event.status) });
      }
    },
    webhookJobFailed(): void {
      jobFailures.inc();
    },
    relayEvent(event: RelayEvent): void {
      if (event.kind === "published") outboxEvents.inc({ result: "published" }, event.count);
      if (event.kind === "failed") outboxEvents.inc({ result: "failed" }, event.failed);
    },
    /** Registers the gauges read at each scrape. */
    watch(sources: RouterGaugeSources): void {
      watchRouterGauges(metrics, sources, adapterLabel);
    },
  };
}

/** The router's metrics. */
export type RouterMetrics = ReturnType<typeof createRouterMetrics>;

function watchRouterGauges(
  metrics: Metrics,
  sources: RouterGaugeSources,
  adapterLabel: (name: string) => string,
): void {
  const clock = sources.clock ?? (() => new Date());
  const timeoutMs = sources.timeoutMs ?? 1_000;
  const storeGauges = scrapeRead(() => sources.store.gauges(), timeoutMs);
  const queueSizes = scrapeRead(() => sources.webhookQueue.sizes(), timeoutMs);
  const queue = sources.webhookQueue.name;
  const ageSeconds = (since: Date | undefined): number =>
    since === undefined ? 0 : Math.max(0, (clock().getTime() - since.getTime()) / 1000);

  metrics.gauge(
    "paymesh_adapter_breaker_state",
    "1 for the adapter's current circuit-breaker state (closed|open|half_open|isolated), 0 for the others.",
    ["adapter", "state"],
    (gauge) => {
      for (const adapter of sources.adapters()) {
        const current = adapter.breaker.replace("-", "_");
        for (const state of BREAKER_STATES)
          gauge.set({ adapter: adapterLabel(adapter.name), state }, state === current ? 1 : 0);
      }
    },
  );
  metrics.gauge(
    "paymesh_adapter_up",
    "1 when the adapter answered its last health probe (Describe), else 0.",
    ["adapter"],
    (gauge) => {
      for (const adapter of sources.adapters())
        gauge.set({ adapter: adapterLabel(adapter.name) }, adapter.reachable === true ? 1 : 0);
    },
  );
  metrics.gauge(
    "paymesh_adapter_bulkhead_queued",
    "Calls waiting for a slot in the adapter's bulkhead.",
    ["adapter"],
    (gauge) => {
      for (const handle of sources.registry.all())
        gauge.set({ adapter: adapterLabel(handle.name) }, handle.policy.snapshot().queued);
    },
  );
  metrics.gauge(
    "paymesh_work_queue_depth",
    "Messages waiting in the work queue, for a consumer or a retry delay.",
    ["queue"],
    async (gauge) => {
      const sizes = await queueSizes();
      if (sizes !== undefined) gauge.set({ queue }, sizes.waiting);
    },
  );
  metrics.gauge(
    "paymesh_work_queue_dead_letters",
    "Messages in the work queue's dead-letter queue.",
    ["queue"],
    async (gauge) => {
      const sizes = await queueSizes();
      if (sizes !== undefined) gauge.set({ queue }, sizes.deadLetters);
    },
  );
  const fromStore = (name: string, help: string, read: (gauges: StoreGaugeValues) => number) =>
    metrics.gauge(name, help, [], async (gauge) => {
      const gauges = await storeGauges();
      if (gauges !== undefined) gauge.set(read(gauges));
    });
  fromStore(
    "paymesh_resolver_backlog",
    "Payments the status resolver is chasing (a check scheduled, not final, not under review).",
    (gauges) => gauges.resolverBacklog,
  );
  fromStore(
    "paymesh_resolver_oldest_unresolved_seconds",
    "Age of the oldest payment the status resolver is chasing, in seconds (0 when none).",
    (gauges) => ageSeconds(gauges.oldestUnresolvedAt),
  );
  fromStore(
    "paymesh_payments_in_review",
    "Payments raised for a person to review.",
    (gauges) => gauges.inReview,
  );
  fromStore(
    "paymesh_outbox_lag_seconds",
    "Age of the oldest unpublished payment event in the outbox, in seconds (0 when none).",
    (gauges) => ageSeconds(gauges.oldestUnpublishedAt),
  );
}

type StoreGaugeValues = Awaited<ReturnType<PaymentStore["gauges"]>>;
