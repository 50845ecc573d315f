import type { PolicyEvent } from "@paymesh/resilience";
import type { AdapterStatus } from "./adapters/adapter-monitor.ts";
import type { RelayEvent } from "./events/outbox-relay.ts";
import type { ResolverEvent } from "./payments/status-resolver.ts";
import type { WebhookIngressEvent } from "./webhooks/webhook-ingress.ts";

/** The counters, in the order they are rendered, with their help text. */
const COUNTERS: ReadonlyArray<readonly [name: string, help: string]> = [
  [
    "paymesh_adapter_policy_events_total",
    "Retries, timeouts, breaker changes and bulkhead rejections per adapter.",
  ],
  ["paymesh_resolver_events_total", "What the status resolver did: resolved, retry, review."],
  [
    "paymesh_unknown_provider_status_total",
    "Provider answers with a status their adapter does not know, kept for the resolver (raw value in the log).",
  ],
  [
    "paymesh_webhooks_total",
    "Webhooks received per adapter, by answer: accepted, or the HTTP status refusing it.",
  ],
  [
    "paymesh_webhook_claims_checked_total",
    "Unverified webhooks naming a payment of ours, for which the provider was asked.",
  ],
  [
    "paymesh_webhook_job_failures_total",
    "Failed attempts to apply a queued webhook event (retried, then dead-lettered).",
  ],
  [
    "paymesh_outbox_events_total",
    "Payment events the outbox relay published, or failed to publish (kept for a later pass).",
  ],
];

/**
 * Counters for what operators alert on (docs/architecture.md §7): policy events per adapter, resolver
 * outcomes, webhooks and the outbox, plus breaker state and reachability, served as Prometheus
 * text at GET /metrics.
 */
export function createRouterMetrics() {
  const counters = new Map<string, number>();
  const count = (name: string, labels: Record<string, string>, by = 1): void => {
    const key = `${name}{${Object.entries(labels)
      .map(([label, value]) => `${label}="${escapeLabel(value)}"`)
      .join(",")}}`;
    counters.set(key, (counters.get(key) ?? 0) + by);
  };
  return {
    policyEvent(event: PolicyEvent): void {
      count("paymesh_adapter_policy_events_total", { adapter: event.adapter, type: event.type });
    },
    resolverEvent(event: ResolverEvent): void {
      count("paymesh_resolver_events_total", { kind: event.kind });
      if (event.kind === "retry" && event.unknownProviderStatus)
        count("paymesh_unknown_provider_status_total", { adapter: event.adapter });
    },
    webhookEvent(event: WebhookIngressEvent): void {
      if (event.kind === "claim-checked") {
        count("paymesh_webhook_claims_checked_total", { adapter: event.adapter });
        return;
      }
      const result = event.kind === "accepted" ? "accepted" : String(event.status);
      count("paymesh_webhooks_total", { adapter: event.adapter, result });
    },
    webhookJobFailed(): void {
      count("paymesh_webhook_job_failures_total", {});
    },
    relayEvent(event: RelayEvent): void {
      if (event.kind === "published")
        count("paymesh_outbox_events_total", { result: "published" }, event.count);
      if (event.kind === "failed") count("paymesh_outbox_events_total", { result: "failed" }, event.failed);
    },
    /** The exposition text, with the adapters' current breaker and reachability as gauges. */
    render(adapters: readonly AdapterStatus[]): string {
      const lines = [
        ...COUNTERS.flatMap(([name, help]) => [
          `# HELP ${name} ${help}`,
          `# TYPE ${name} counter`,
          ...[...counters]
            .filter(([key]) => key.startsWith(`${name}{`))
            .map(([key, value]) => `${key} ${value}`),
        ]),
        "# HELP paymesh_adapter_breaker_state 1 for the adapter's current circuit-breaker state.",
        "# TYPE paymesh_adapter_breaker_state gauge",
        ...adapters.map(
          (adapter) =>
            `paymesh_adapter_breaker_state{adapter="${adapter.name}",state="${adapter.breaker}"} 1`,
        ),
        "# HELP paymesh_adapter_up 1 when the adapter answered its last health probe.",
        "# TYPE paymesh_adapter_up gauge",
        ...adapters.map(
          (adapter) => `paymesh_adapter_up{adapter="${adapter.name}"} ${adapter.reachable === true ? 1 : 0}`,
        ),
      ];
      return `${lines.join("\n")}\n`;
    },
  };
}

/** The router's metrics. */
export type RouterMetrics = ReturnType<typeof createRouterMetrics>;

/** Prometheus label values escape backslash, double quote and newline. */
function escapeLabel(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}
