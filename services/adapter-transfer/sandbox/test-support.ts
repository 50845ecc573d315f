import type {
  CallbackReceiver as KitCallbackReceiver,
  ReceivedCallback as KitReceivedCallback,
} from "@paymesh/sandbox-kit";
import { callControl, startCallbackReceiver } from "@paymesh/sandbox-kit";
import { simulatorDefaults } from "./options.ts";
import type { TransferSimulator } from "./simulator.ts";

/**
 * Helpers for tests of the simulator and the adapter: hand-built Xendit requests over real fetch
 * (so a test can break exactly one part), a callback receiver, and polling with a deadline.
 */

/** An answer as tests read it. */
export interface TestAnswer {
  status: number;
  body: Record<string, unknown> & { error_code?: unknown };
  list: unknown[];
}

async function answer(response: Response): Promise<TestAnswer> {
  const value: unknown = await response.json();
  const body = typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
  return {
    status: response.status,
    body: body as TestAnswer["body"],
    list: Array.isArray(value) ? value : [],
  };
}

/** A valid `POST /disbursements` body; override any field. */
export function disbursementBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    external_id: "pay_test",
    amount: 150_000,
    bank_code: "BCA",
    account_holder_name: "Budi Santoso",
    account_number: "1234567890",
    description: "Payout",
    ...overrides,
  };
}

/** Options to break one part of an API request. */
export interface ApiOptions {
  body?: unknown;
  /** Basic-auth username; null sends no Authorization header. @default the money-out test key */
  key?: string | null;
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

/** Calls a Xendit API route the way a correct client does, with the test key. */
export async function api(
  simulator: TransferSimulator,
  method: "GET" | "POST",
  path: string,
  options: ApiOptions = {},
): Promise<TestAnswer> {
  const key = options.key === undefined ? simulatorDefaults.secretKey : options.key;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== null) headers.authorization = `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
  if (options.idempotencyKey !== undefined) headers["x-idempotency-key"] = options.idempotencyKey;
  const init: RequestInit = { method, headers: { ...headers, ...options.headers } };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  return answer(await fetch(`${simulator.url}${path}`, init));
}

/** Calls a control endpoint. */
export async function control(
  simulator: TransferSimulator,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<TestAnswer> {
  return answer(await callControl(simulator.url, method, path, body));
}

/** One callback as the receiver got it. */
export type ReceivedCallback = KitReceivedCallback<string>;

/** A local HTTP server standing in for the router's webhook endpoint; `url` ends in `/webhooks/transfer`. */
export type CallbackReceiver = KitCallbackReceiver<string>;

/** Starts a callback receiver on a free port. */
export function createCallbackReceiver(): Promise<CallbackReceiver> {
  return startCallbackReceiver({ path: "/webhooks/transfer", decode: (bytes) => bytes.toString("utf8") });
}
