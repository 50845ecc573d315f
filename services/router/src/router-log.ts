import { PaymeshError } from "@paymesh/adapter-kit";
import type { PolicyEvent } from "@paymesh/resilience";
import type { Logger } from "@paymesh/telemetry";
import type { RelayEvent } from "./events/outbox-relay.ts";
import type { ResolverEvent } from "./payments/status-resolver.ts";
import type { WebhookIngressEvent } from "./webhooks/webhook-ingress.ts";

/** A policy event as a log line: breaker changes and retries are what operators alert on. */
export function logPolicyEvent(log: Logger, event: PolicyEvent): void {
  const { error, ...rest } = event as PolicyEvent & { error?: unknown };
  const level = event.type === "break" || event.type === "bulkhead-rejected" ? "warn" : "info";
  log[level](
    {
      source: "policy",
      ...rest,
      ...(error === undefined ? {} : { error: PaymeshError.from(error).message }),
    },
    `adapter policy: ${event.type}`,
  );
}

/** A resolver outcome as a log line; a review is a warning, a person must act. */
export function logResolverEvent(log: Logger, event: ResolverEvent): void {
  log[event.kind === "review" ? "warn" : "info"]({ source: "resolver", ...event }, `resolver: ${event.kind}`);
}

/**
 * What the webhook ingress did; a refusal is a warning (a provider, or someone posing as one, was
 * turned away). A verification is only counted: the webhook's outcome gets its own line.
 */
export function logWebhookEvent(log: Logger, event: WebhookIngressEvent): void {
  if (event.kind === "verified") return;
  log[event.kind === "rejected" ? "warn" : "info"]({ source: "webhook", ...event }, `webhook: ${event.kind}`);
}

/** A webhook job that failed; the queue retries it, or dead-letters it after its last attempt. */
export function logWebhookJobFailure(
  log: Logger,
  job: { id: string; attempts: number },
  error: unknown,
): void {
  log.warn(
    { source: "webhook-job", kind: "failed", id: job.id, attempts: job.attempts, err: error },
    "webhook job failed",
  );
}

/** The outbox relay's failures and purges; a published batch is routine and not logged. */
export function logRelayEvent(log: Logger, event: RelayEvent): void {
  if (event.kind === "published") return;
  log[event.kind === "failed" ? "warn" : "info"]({ source: "outbox", ...event }, `outbox: ${event.kind}`);
}
