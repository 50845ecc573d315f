import { callControl } from "@paymesh/sandbox-kit";
import { SnapHeader, signAccessToken, snapTimestamp, symmetricSignature } from "@paymesh/snap";
import { simulatorDefaults } from "./options.ts";
import type { QrisSimulator } from "./simulator.ts";
import { loadTestKeys } from "./test-keys.ts";

/**
 * Helpers for the simulator's own tests: hand-built SNAP requests over real fetch, so each test
 * can break exactly one part (a signature, a header) and see the simulator's answer to it.
 */

/** A SNAP answer as the tests read it. */
export interface TestAnswer {
  status: number;
  body: Record<string, unknown>;
}

async function answer(response: Response): Promise<TestAnswer> {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Requests an access token, signed with the partner test key unless told otherwise. */
export async function requestToken(
  simulator: QrisSimulator,
  options: { now?: Date; privateKey?: string; clientId?: string; headers?: Record<string, string> } = {},
): Promise<TestAnswer> {
  const timestamp = snapTimestamp(options.now ?? new Date());
  const clientId = options.clientId ?? simulatorDefaults.clientId;
  const privateKey = options.privateKey ?? loadTestKeys().partnerPrivateKey;
  const response = await fetch(`${simulator.url}/v1.0/access-token/b2b`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      [SnapHeader.timestamp]: timestamp,
      [SnapHeader.clientKey]: clientId,
      [SnapHeader.signature]: signAccessToken({ clientId, timestamp, privateKey }),
      ...options.headers,
    },
    body: JSON.stringify({ grantType: "client_credentials" }),
  });
  return answer(response);
}

/** A valid access token, or a thrown error explaining why there is none. */
export async function accessToken(simulator: QrisSimulator, now?: Date): Promise<string> {
  const { body } = await requestToken(simulator, now === undefined ? {} : { now });
  if (typeof body.accessToken !== "string") throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.accessToken;
}

/** Options to break one part of a transaction request. */
export interface TransactionOptions {
  now?: Date;
  externalId?: string;
  /** Sign this body but send `sentBody`. */
  sentBody?: string;
  clientSecret?: string;
  /** Replace or (with undefined) drop headers. */
  headers?: Record<string, string | undefined>;
}

let externalIds = 0;

function nextExternalId(): string {
  externalIds += 1;
  return `test-${externalIds}`;
}

/** Sends a signed SNAP transaction request (POST, minified JSON) the way a correct partner does. */
export async function snapPost(
  simulator: QrisSimulator,
  path: string,
  token: string,
  payload: unknown,
  options: TransactionOptions = {},
): Promise<TestAnswer> {
  const body = JSON.stringify(payload);
  const timestamp = snapTimestamp(options.now ?? new Date());
  const clientSecret = options.clientSecret ?? simulatorDefaults.clientSecret;
  const headers: Record<string, string | undefined> = {
    "Content-Type": "application/json",
    [SnapHeader.authorization]: `Bearer ${token}`,
    [SnapHeader.timestamp]: timestamp,
    [SnapHeader.signature]: symmetricSignature({
      method: "POST",
      path,
      accessToken: token,
      body,
      timestamp,
      clientSecret,
    }),
    [SnapHeader.partnerId]: simulatorDefaults.partnerId,
    [SnapHeader.externalId]: options.externalId ?? nextExternalId(),
    [SnapHeader.channelId]: simulatorDefaults.channelId,
    ...options.headers,
  };
  const sent = Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const response = await fetch(`${simulator.url}${path}`, {
    method: "POST",
    headers: sent,
    body: options.sentBody ?? body,
  });
  return answer(response);
}

/** A generate request body for the default merchant. */
export function generateBody(partnerReferenceNo: string, value = "10000.00"): Record<string, unknown> {
  return {
    partnerReferenceNo,
    amount: { value, currency: "IDR" },
    merchantId: simulatorDefaults.merchant.merchantId,
    terminalId: "TERM01",
  };
}

/** Calls a control endpoint. */
export async function control(
  simulator: QrisSimulator,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<TestAnswer> {
  return answer(await callControl(simulator.url, method, path, body));
}
