import { randomUUID } from "node:crypto";
import type { CallbackReceiver, ReceivedCallback } from "@paymesh/sandbox-kit";
import { callControl, startCallbackReceiver } from "@paymesh/sandbox-kit";
import type { RemittanceSimulator } from "./simulator.ts";

/**
 * Helpers for the simulator's and the adapter's tests: hand-built Wise requests over real fetch,
 * a settable clock, a webhook receiver, and polling with a deadline (never a fixed sleep).
 */

/** An answer as the tests read it: status, the exact text, and the text parsed. */
export interface TestAnswer {
  status: number;
  text: string;
  body: Record<string, unknown>;
}

/** Sends a Wise API request with the simulator's token (or `token`) and the body text verbatim. */
export async function wiseRequest(
  simulator: RemittanceSimulator,
  method: "GET" | "POST" | "PUT",
  path: string,
  body?: string,
  token = simulator.apiToken,
): Promise<TestAnswer> {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = {};
  }
  const record = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  return { status: response.status, text, body: record };
}

/** Calls a control endpoint. */
export async function control(
  simulator: RemittanceSimulator,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<TestAnswer> {
  const response = await callControl(simulator.url, method, path, body);
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

/** One request a {@link WebhookReceiver} got, its body the exact bytes. */
export type ReceivedWebhook = ReceivedCallback<Buffer>;

/** An HTTP server standing in for the router's `/webhooks/remittance`. */
export type WebhookReceiver = CallbackReceiver<Buffer>;

/** Starts a webhook receiver on a free port. */
export function startReceiver(path = "/webhooks/remittance"): Promise<WebhookReceiver> {
  return startCallbackReceiver({ path, decode: (bytes) => bytes });
}

/** A sort-code recipient body for `POST /v1/accounts`. */
export function gbpRecipient(profileId: string, accountNumber = "37778842", name = "Ann Smith"): string {
  return `{"currency":"GBP","type":"sort_code","profile":${profileId},"accountHolderName":"${name}","details":{"sortCode":"040075","accountNumber":"${accountNumber}"}}`;
}

function findId(simulator: RemittanceSimulator, customerTransactionId: string): number {
  try {
    return simulator.transfer({ customerTransactionId }).id;
  } catch {
    return 0;
  }
}

/**
 * Makes a funded-or-not IDR→GBP transfer over the raw API: quote, recipient, transfer, and (unless
 * `fund` is false) funding. Returns the ids and the answers' bodies.
 */
export async function makeTransfer(
  simulator: RemittanceSimulator,
  options: {
    sourceAmount?: string;
    accountNumber?: string;
    customerTransactionId?: string;
    fund?: boolean;
  } = {},
): Promise<{ quoteId: string; transferId: number; customerTransactionId: string; transfer: TestAnswer }> {
  const profile = simulator.profileId;
  const quote = await wiseRequest(
    simulator,
    "POST",
    `/v3/profiles/${profile}/quotes`,
    `{"sourceCurrency":"IDR","targetCurrency":"GBP","sourceAmount":${options.sourceAmount ?? "1500000.00"}}`,
  );
  const recipient = await wiseRequest(
    simulator,
    "POST",
    "/v1/accounts",
    gbpRecipient(profile, options.accountNumber),
  );
  const customerTransactionId = options.customerTransactionId ?? randomUUID();
  const transfer = await wiseRequest(
    simulator,
    "POST",
    "/v1/transfers",
    JSON.stringify({
      targetAccount: recipient.body.id,
      quoteUuid: quote.body.id,
      customerTransactionId,
      details: { reference: "Invoice 42" },
    }),
  );
  // A failed create (injected fault, 504 magic) has no id in the answer; the simulator may still know it.
  const known = simulator.stats().charges > 0 ? findId(simulator, customerTransactionId) : 0;
  const transferId = Number(transfer.body.id ?? known);
  if (options.fund !== false && transfer.status === 200) {
    await wiseRequest(
      simulator,
      "POST",
      `/v3/profiles/${profile}/transfers/${transferId}/payments`,
      '{"type":"BALANCE"}',
    );
  }
  return { quoteId: String(quote.body.id), transferId, customerTransactionId, transfer };
}
