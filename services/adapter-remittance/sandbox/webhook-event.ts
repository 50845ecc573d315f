import { createSign, type KeyObject } from "node:crypto";
import { exactNumber } from "./exact-numbers.ts";
import type { SimStateChange, SimTransfer } from "./sim-state.ts";

/** Wise timestamps in webhooks: ISO 8601 with whole seconds, UTC ("2020-01-01T12:34:56Z"). */
export function wiseWebhookTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * The body of a `transfers#state-change` webhook, schema 2.0.0, in the shape Wise documents.
 * `account_id` is the transfer's recipient account. Built per delivery attempt: every delivery of
 * a change (retries, duplicates) sends the same bytes except `sent_at`, the time of that attempt,
 * so a receiver enforcing a replay window on `sent_at` accepts a late retry.
 */
export function webhookBody(input: {
  transfer: SimTransfer;
  state: string;
  previousState: string | null;
  occurredAt: Date;
  sentAt: Date;
  subscriptionId: string;
}): string {
  const { transfer } = input;
  return JSON.stringify({
    data: {
      resource: {
        id: exactNumber(String(transfer.id)),
        profile_id: exactNumber(transfer.profileId),
        account_id: exactNumber(String(transfer.targetAccount)),
        type: "transfer",
      },
      current_state: input.state,
      previous_state: input.previousState,
      occurred_at: wiseWebhookTime(input.occurredAt),
    },
    subscription_id: input.subscriptionId,
    event_type: "transfers#state-change",
    schema_version: "2.0.0",
    sent_at: wiseWebhookTime(input.sentAt),
  });
}

/**
 * The webhook of one recorded change of `transfer`, as sent at `sentAt`: the same bytes on every
 * delivery except `sent_at`, stamped per attempt and never before `occurred_at`.
 */
export function changeWebhookBody(
  transfer: SimTransfer,
  change: SimStateChange,
  sentAt: Date,
  subscriptionId: string,
): string {
  return webhookBody({
    transfer,
    state: change.state,
    previousState: change.previousState,
    occurredAt: change.occurredAt,
    sentAt: change.occurredAt > sentAt ? change.occurredAt : sentAt,
    subscriptionId,
  });
}

/** A webhook exactly as it goes on the wire. */
export interface SignedWebhook {
  headers: Record<string, string>;
  body: string;
}

/**
 * Signs a webhook the Wise way: `X-Signature-SHA256` = base64 RSA-SHA256 (PKCS#1 v1.5) over the raw
 * body bytes, as Wise documents. `X-Delivery-Id` is fresh per delivery attempt.
 */
export function signWebhook(body: string, privateKey: KeyObject, deliveryId: string): SignedWebhook {
  const signature = createSign("sha256").update(body, "utf8").sign(privateKey, "base64");
  return {
    headers: {
      "Content-Type": "application/json",
      "X-Signature-SHA256": signature,
      "X-Delivery-Id": deliveryId,
    },
    body,
  };
}
