import { type Metrics, processMetrics } from "@paymesh/telemetry";

// The metrics every adapter process exports besides paymesh_rpc_duration_seconds, declared once
// here so the kit's parts that record them agree on names and labels (docs/architecture.md,
// "Metrics and health"). Label values are the adapter's service name ("adapter-qris") and names
// written in code, never a value a provider or caller sent.

/** How one round trip to a provider ended. */
export type ProviderCallOutcome = "ok" | "refused" | "error" | "timeout" | "unreachable";

/** paymesh_provider_call_duration_seconds: adapter to provider HTTP round trips. */
export function providerCallHistogram(metrics: Metrics = processMetrics()) {
  return metrics.histogram(
    "paymesh_provider_call_duration_seconds",
    "Adapter to provider HTTP round trips by adapter, operation and outcome (ok|refused|error|timeout|unreachable), in seconds.",
    ["adapter", "operation", "outcome"],
  );
}

/** paymesh_unknown_provider_values_total: statuses and codes an adapter has never seen. */
export function unknownProviderValuesCounter(metrics: Metrics = processMetrics()) {
  return metrics.counter(
    "paymesh_unknown_provider_values_total",
    "Provider values (statuses, codes) the adapter does not know, by adapter and the field they were read from.",
    ["adapter", "field"],
  );
}
