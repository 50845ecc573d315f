import { PaymeshError } from "@paymesh/adapter-kit";
import type { PolicyEvent } from "@paymesh/resilience";
import type { ResolverEvent } from "./payments/status-resolver.ts";

/** Where the router's structured log lines go: one JSON object per line. */
export type LogSink = (line: Record<string, unknown>) => void;

/** The default sink: stderr, so stdout keeps only the startup line that launchers read. */
export const stderrSink: LogSink = (line) => {
  process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), ...line })}\n`);
};

/** A policy event as a log line: breaker changes and retries are what operators alert on. */
export function logPolicyEvent(sink: LogSink, event: PolicyEvent): void {
  const { error, ...rest } = event as PolicyEvent & { error?: unknown };
  sink({
    source: "policy",
    level: event.type === "break" || event.type === "bulkhead-rejected" ? "warn" : "info",
    ...rest,
    ...(error === undefined ? {} : { error: PaymeshError.from(error).message }),
  });
}

/** A resolver outcome as a log line; a review is a warning, a person must act. */
export function logResolverEvent(sink: LogSink, event: ResolverEvent): void {
  sink({ source: "resolver", level: event.kind === "review" ? "warn" : "info", ...event });
}
