import { unknownProviderValuesCounter } from "./adapter-metrics.ts";

/**
 * A status, code or answer shape the adapter has never seen. It is never folded into a known one:
 * the adapter reports it here (one structured warning line naming the adapter and the raw value, so
 * a provider's new code is noticed the day it appears) and answers the payment with status
 * UNSPECIFIED and the raw value as `provider_status`, which the router keeps for the status resolver
 * with the reason visible, never applies.
 */
export interface UnknownProviderValue {
  /** The adapter's service name, e.g. "adapter-qris". */
  adapter: string;
  /** Where the value was read, e.g. "latestTransactionStatus" or "failure_code". */
  field: string;
  /** The value exactly as the provider sent it. */
  value: string;
  /** The payment it was about, when known. */
  paymentId?: string | undefined;
}

/** Where reports go: one JSON object per line on stderr unless a test or a logger says otherwise. */
export type UnknownValueSink = (line: Record<string, unknown>) => void;

const stderrSink: UnknownValueSink = (line) => {
  process.stderr.write(`${JSON.stringify(line)}\n`);
};

const seen = new Map<string, number>();

/**
 * Reports one unknown provider value: a warning line, a count per (adapter, field), and the same
 * count as paymesh_unknown_provider_values_total in the process's metrics.
 */
export function reportUnknownProviderValue(report: UnknownProviderValue, sink = stderrSink): void {
  const key = `${report.adapter}\u0000${report.field}`;
  seen.set(key, (seen.get(key) ?? 0) + 1);
  unknownProviderValuesCounter().inc({ adapter: report.adapter, field: report.field });
  sink({
    at: new Date().toISOString(),
    level: "warn",
    service: report.adapter,
    event: "unknown_provider_value",
    field: report.field,
    value: report.value,
    ...(report.paymentId === undefined ? {} : { paymentId: report.paymentId }),
  });
}

/** How many unknown values this process has reported, per adapter and field (for a metrics endpoint). */
export function unknownProviderValueCounts(): Array<{ adapter: string; field: string; count: number }> {
  return [...seen].map(([key, count]) => {
    const [adapter = "", field = ""] = key.split("\u0000");
    return { adapter, field, count };
  });
}
