import type { PolicyEvent } from "@paymesh/resilience";
import type { AdapterStatus } from "./adapter-monitor.ts";
import type { ResolverEvent } from "./status-resolver.ts";

/**
 * Counters for what operators alert on (DESIGN.md §7): policy events per adapter and resolver
 * outcomes, plus breaker state and reachability, served as Prometheus text at GET /metrics.
 */
export function createRouterMetrics() {
  const counters = new Map<string, number>();
  const count = (name: string, labels: Record<string, string>): void => {
    const key = `${name}{${Object.entries(labels)
      .map(([label, value]) => `${label}="${escapeLabel(value)}"`)
      .join(",")}}`;
    counters.set(key, (counters.get(key) ?? 0) + 1);
  };
  return {
    policyEvent(event: PolicyEvent): void {
      count("paymesh_adapter_policy_events_total", { adapter: event.adapter, type: event.type });
    },
    resolverEvent(event: ResolverEvent): void {
      count("paymesh_resolver_events_total", { kind: event.kind });
    },
    /** The exposition text, with the adapters' current breaker and reachability as gauges. */
    render(adapters: readonly AdapterStatus[]): string {
      const lines = [
        "# HELP paymesh_adapter_policy_events_total Retries, timeouts, breaker changes and bulkhead rejections per adapter.",
        "# TYPE paymesh_adapter_policy_events_total counter",
        ...[...counters]
          .filter(([key]) => key.startsWith("paymesh_adapter_policy"))
          .map(([key, value]) => `${key} ${value}`),
        "# HELP paymesh_resolver_events_total What the status resolver did: resolved, retry, review.",
        "# TYPE paymesh_resolver_events_total counter",
        ...[...counters]
          .filter(([key]) => key.startsWith("paymesh_resolver"))
          .map(([key, value]) => `${key} ${value}`),
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
