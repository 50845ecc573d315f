import type { AdapterName } from "../support/full-stack.ts";
import type { PlannedPayment } from "./plan.ts";

/**
 * How the chaos run talks to each provider simulator: its control API (`/sim/...`, see each
 * adapter's sandbox/README.md) for faults and customer/bank actions, and its provider API, with
 * the simulator's documented fake credentials, to read back what it really holds.
 */

/** Where a provider says a payment is, in classes both sides can be compared in. */
export type ProviderClass = "pending" | "success" | "closed";

/** One charge a simulator holds. */
export interface ProviderCharge {
  /** The Paymesh payment id it was made for, where the provider carries it. */
  paymentId: string;
  /** The provider's own id. */
  providerId: string;
  /** The provider's state, verbatim. */
  state: string;
  class: ProviderClass;
}

/** Answer of a control call that may fail without failing the run. */
export interface ControlAnswer {
  status: number;
  body: unknown;
}

const TIMEOUT_MS = 20_000;

/** Calls a control endpoint; never throws on an HTTP error status (the caller logs it). */
export async function control(baseUrl: string, path: string, body?: unknown): Promise<ControlAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    signal: AbortSignal.timeout(TIMEOUT_MS),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, body: parsed };
}

/** Calls a control endpoint that must succeed (fault configuration): throws otherwise. */
export async function mustControl(baseUrl: string, path: string, body?: unknown): Promise<unknown> {
  const answer = await control(baseUrl, path, body);
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`${baseUrl}${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
const text = (value: unknown): string =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : "";

/** The payment as far as the simulator actions need it. */
export interface PaymentRef {
  id: string;
  providerReference: string;
}

/** The fault config body for a creation fault of a payment, per simulator. */
export function createFaultConfig(name: AdapterName, payment: PlannedPayment): Record<string, unknown> {
  switch (payment.fault) {
    case "latency":
      return { latencyMs: payment.latencyMs };
    case "connection-reset":
      return { resetConnections: payment.faultCount };
    case "server-error":
      return { failNext: serverError(name, payment) };
    default:
      return {};
  }
}

function serverError(name: AdapterName, payment: PlannedPayment): Record<string, unknown> {
  const count = payment.faultCount;
  const variant = payment.faultVariant;
  switch (name) {
    case "qris": {
      const responseCode = ["5004700", "5044700", "5004701"][variant % 3] ?? "5004700";
      return { count, responseCode };
    }
    case "va": {
      const shapes = [{ statusCode: "500" }, { statusCode: "503" }, { statusCode: "503", httpStatus: 200 }];
      return { count, ...(shapes[variant % shapes.length] ?? { statusCode: "500" }) };
    }
    case "transfer":
      return { count, error_code: "SERVER_ERROR" };
    case "remittance": {
      const endpoints = [undefined, "create-transfer", "fund-transfer", "create-recipient"];
      const endpoint = endpoints[variant % endpoints.length];
      return {
        count,
        status: variant % 2 === 0 ? 500 : 503,
        code: variant % 2 === 0 ? "INTERNAL_ERROR" : "SERVICE_UNAVAILABLE",
        ...(endpoint === undefined ? {} : { endpoint }),
      };
    }
  }
}

/** Clears every creation fault. */
export const CLEAR_CREATE_FAULTS = { latencyMs: 0, failNext: null, resetConnections: 0 } as const;

/** Whether the simulator has the duplicateCallbacks / reorderCallbacks switches (QRIS has not). */
export const HAS_CALLBACK_SWITCHES: Readonly<Record<AdapterName, boolean>> = {
  qris: false,
  va: true,
  transfer: true,
  remittance: true,
};

/** The lookup body that names a payment in a simulator's control API. */
function lookup(name: AdapterName, payment: PaymentRef): Record<string, string> {
  switch (name) {
    case "qris":
      return { partnerReferenceNo: payment.id };
    case "va":
      return { order_id: payment.id };
    case "transfer":
      return { external_id: payment.id };
    case "remittance":
      return { transferId: payment.providerReference };
  }
}

/**
 * The customer or bank acts: QRIS and VA `pay`, VA `expire`, transfer `complete` (the account
 * number's magic value decides the result), remittance `advance` to complete (likewise).
 */
export function completeAtProvider(
  baseUrl: string,
  name: AdapterName,
  payment: PaymentRef,
  completion: "pay" | "expire" | "complete",
): Promise<ControlAnswer> {
  switch (name) {
    case "qris":
      return control(baseUrl, "/sim/pay", lookup(name, payment));
    case "va":
      return control(baseUrl, completion === "expire" ? "/sim/expire" : "/sim/pay", lookup(name, payment));
    case "transfer":
      return control(baseUrl, "/sim/complete", lookup(name, payment));
    case "remittance":
      return control(baseUrl, "/sim/advance", { ...lookup(name, payment), to: "complete" });
  }
}

/** Re-sends the current state's webhook: a duplicate delivery. */
export function resendWebhook(
  baseUrl: string,
  name: AdapterName,
  payment: PaymentRef,
): Promise<ControlAnswer> {
  return control(baseUrl, "/sim/notify", lookup(name, payment));
}

/** A correctly signed webhook of the payment's current state, not sent. */
export async function captureWebhook(
  baseUrl: string,
  name: AdapterName,
  payment: PaymentRef,
): Promise<{ headers: Record<string, string>; body: string } | undefined> {
  const answer = await control(baseUrl, "/sim/webhook", {
    ...lookup(name, payment),
    path: `/webhooks/${name}`,
  });
  if (answer.status !== 200) return undefined;
  const headers = field(answer.body, "headers");
  const body = field(answer.body, "body");
  if (typeof headers !== "object" || headers === null || typeof body !== "string") return undefined;
  return { headers: headers as Record<string, string>, body };
}

/** Delivers a captured webhook to the router, as the provider would, and returns the HTTP status. */
export async function deliverWebhook(
  routerHttp: string,
  name: AdapterName,
  webhook: { headers: Record<string, string>; body: string },
): Promise<number> {
  const response = await fetch(`${routerHttp}/webhooks/${name}`, {
    method: "POST",
    headers: webhook.headers,
    body: webhook.body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  await response.arrayBuffer();
  return response.status;
}

/** `/sim/stats` counters the audit reads. */
export interface SimulatorStats {
  charges: number;
  /** Wise only: transfers funded (money that left the balance). */
  fundings?: number;
}

export async function simulatorStats(baseUrl: string): Promise<SimulatorStats> {
  const body = await mustControl(baseUrl, "/sim/stats");
  const charges = field(body, "charges");
  const fundings = field(body, "fundings");
  if (typeof charges !== "number") throw new Error(`${baseUrl}/sim/stats has no charges`);
  return { charges, ...(typeof fundings === "number" ? { fundings } : {}) };
}

// --- Reading back what the provider holds -------------------------------------------------------

const QRIS_CLASS: Readonly<Record<string, ProviderClass>> = {
  "00": "success",
  "03": "pending",
  "05": "closed",
  "06": "closed",
};

/**
 * The QR the bank holds for a payment id (partnerReferenceNo = payment id; the simulator refuses a
 * second one), read from a signed notification of its current state; undefined when it has none.
 */
export async function qrisCharge(baseUrl: string, paymentId: string): Promise<ProviderCharge | undefined> {
  const answer = await control(baseUrl, "/sim/webhook", { partnerReferenceNo: paymentId });
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw new Error(`QRIS /sim/webhook ${paymentId}: ${answer.status}`);
  const body = JSON.parse(text(field(answer.body, "body"))) as unknown;
  const state = text(field(body, "latestTransactionStatus"));
  return {
    paymentId,
    providerId: text(field(body, "originalReferenceNo")),
    state,
    class: QRIS_CLASS[state] ?? "pending",
  };
}

const MIDTRANS_CLASS: Readonly<Record<string, ProviderClass>> = {
  pending: "pending",
  settlement: "success",
  capture: "success",
  deny: "closed",
  expire: "closed",
  cancel: "closed",
};

/**
 * The VA Midtrans holds for a payment id (order_id = payment id; a second charge of one order_id
 * is refused). A `deny` transaction is not a charge (the simulator does not count it either).
 */
export async function vaCharge(baseUrl: string, paymentId: string): Promise<ProviderCharge | undefined> {
  const answer = await control(baseUrl, "/sim/webhook", { order_id: paymentId });
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw new Error(`VA /sim/webhook ${paymentId}: ${answer.status}`);
  const body = JSON.parse(text(field(answer.body, "body"))) as unknown;
  const state = text(field(body, "transaction_status"));
  if (state === "deny") return undefined;
  return {
    paymentId,
    providerId: text(field(body, "transaction_id")),
    state,
    class: MIDTRANS_CLASS[state] ?? "pending",
  };
}

const XENDIT_KEY = "FAKE-xnd_development_paymesh_secret_key";
const XENDIT_CLASS: Readonly<Record<string, ProviderClass>> = {
  PENDING: "pending",
  SUCCESS: "success",
  FAILED: "closed",
};

/** Every payout Xendit made, through its (simulated) Transactions API, paged. */
export async function xenditPayouts(baseUrl: string): Promise<ProviderCharge[]> {
  const auth = `Basic ${Buffer.from(`${XENDIT_KEY}:`).toString("base64")}`;
  const charges: ProviderCharge[] = [];
  let after: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const query = new URLSearchParams({ limit: "50", ...(after === undefined ? {} : { after_id: after }) });
    const response = await fetch(`${baseUrl}/transactions?${query}`, {
      headers: { authorization: auth },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`Xendit /transactions answered ${response.status}`);
    const body = (await response.json()) as unknown;
    const data = field(body, "data");
    if (!Array.isArray(data)) throw new Error("Xendit /transactions has no data");
    for (const item of data as unknown[]) {
      const state = text(field(item, "status"));
      charges.push({
        paymentId: text(field(item, "reference_id")),
        providerId: text(field(item, "product_id")),
        state,
        class: XENDIT_CLASS[state] ?? "pending",
      });
    }
    const last = data.at(-1) as unknown;
    if (field(body, "has_more") !== true || last === undefined) return charges;
    after = text(field(last, "id"));
  }
  throw new Error("Xendit /transactions did not end");
}

const WISE_TOKEN = "FAKE-wise-sandbox-api-token";
const WISE_PROFILE = "30000001";
const WISE_CLASS: Readonly<Record<string, ProviderClass>> = {
  incoming_payment_waiting: "pending",
  processing: "pending",
  funds_converted: "pending",
  outgoing_payment_sent: "success",
  bounced_back: "closed",
  funds_refunded: "closed",
  charged_back: "closed",
  cancelled: "closed",
};
/** States a transfer reaches only once funded: money left the balance. */
export const WISE_FUNDED_STATES: ReadonlySet<string> = new Set([
  "processing",
  "funds_converted",
  "outgoing_payment_sent",
  "bounced_back",
  "funds_refunded",
  "charged_back",
]);

/** One Wise transfer, with the reference the run put on it (which names the run's item). */
export interface WiseTransfer extends ProviderCharge {
  reference: string;
  customerTransactionId: string;
}

/** Every transfer of the simulator's profile, through Wise's (simulated) list API, paged. */
export async function wiseTransfers(baseUrl: string): Promise<WiseTransfer[]> {
  const transfers: WiseTransfer[] = [];
  for (let offset = 0; offset < 1_000_000; offset += 200) {
    const query = new URLSearchParams({ profile: WISE_PROFILE, offset: String(offset), limit: "200" });
    const response = await fetch(`${baseUrl}/v1/transfers?${query}`, {
      headers: { authorization: `Bearer ${WISE_TOKEN}` },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`Wise /v1/transfers answered ${response.status}`);
    const page = (await response.json()) as unknown;
    if (!Array.isArray(page)) throw new Error("Wise /v1/transfers is not a list");
    for (const item of page as unknown[]) {
      const state = text(field(item, "status"));
      transfers.push({
        paymentId: "",
        providerId: text(field(item, "id")),
        state,
        class: WISE_CLASS[state] ?? "pending",
        reference: text(field(item, "reference")),
        customerTransactionId: text(field(item, "customerTransactionId")),
      });
    }
    if (page.length < 200) return transfers;
  }
  throw new Error("Wise /v1/transfers did not end");
}
