import type { CallbackReceiver, ReceivedCallback } from "@paymesh/sandbox-kit";
import { callControl, startCallbackReceiver } from "@paymesh/sandbox-kit";
import { simulatorDefaults } from "./options.ts";
import type { VaSimulator } from "./simulator.ts";

/**
 * Helpers for the simulator's and the adapter's tests: hand-built Midtrans requests over real
 * fetch, so a test can break exactly one part (the key, a field) and see the answer to it.
 */

/** An answer as the tests read it. */
export interface TestAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** `Basic base64(key + ":")`, the Midtrans Authorization header. */
export function basicAuth(serverKey: string = simulatorDefaults.serverKey): string {
  return `Basic ${Buffer.from(`${serverKey}:`).toString("base64")}`;
}

/** Calls a Midtrans API route with the simulator's server key unless told otherwise. */
export async function midtrans(
  simulator: VaSimulator,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  options: { serverKey?: string; headers?: Record<string, string> } = {},
): Promise<TestAnswer> {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: {
      Accept: "application/json",
      Authorization: basicAuth(options.serverKey),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...options.headers,
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A `bank_transfer` charge body. */
export function chargeBody(
  orderId: string,
  grossAmount = 25_000,
  bankTransfer: Record<string, unknown> = { bank: "bca" },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    payment_type: "bank_transfer",
    transaction_details: { order_id: orderId, gross_amount: grossAmount },
    bank_transfer: bankTransfer,
    ...extra,
  };
}

/** Calls a control endpoint. */
export async function control(
  simulator: VaSimulator,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<TestAnswer> {
  const response = await callControl(simulator.url, method, path, body);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** One request a receiver got. */
export type ReceivedRequest = ReceivedCallback<string>;

/** An HTTP server standing in for the router's webhook endpoint; `url` is `http://127.0.0.1:PORT`. */
export type Receiver = CallbackReceiver<string>;

/** Starts a receiver on a free port. */
export function startReceiver(): Promise<Receiver> {
  return startCallbackReceiver({ decode: (bytes) => bytes.toString("utf8") });
}
