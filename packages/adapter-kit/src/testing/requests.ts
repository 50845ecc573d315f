import { randomUUID } from "node:crypto";

/** A payment id in the router's format: "pay_" + 26 characters, new on every call. */
export function newPaymentId(): string {
  return `pay_${randomUUID().replaceAll("-", "").slice(0, 26)}`;
}

/** Call options with a deadline 10 s away: long enough for retries, short enough to fail a hang. */
export function deadline(): { deadline: Date } {
  return { deadline: new Date(Date.now() + 10_000) };
}
