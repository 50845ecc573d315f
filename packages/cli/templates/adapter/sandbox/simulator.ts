import { randomInt, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import {
  absoluteUrl,
  baseControlRoutes,
  type ConfigFields,
  ControlError,
  type ControlRoutes,
  createCallbackDelivery,
  header,
  nullable,
  readBody,
  readJsonObject,
  type SimulatorServer,
  sendJson,
  startSimulatorServer,
} from "@paymesh/sandbox-kit";
import { SIGNATURE_HEADER, signatureHeader } from "./signature.ts";

/** Everything a simulator can be told at start; every field has a default for a local run. */
export interface SimulatorOptions {
  /** @default "127.0.0.1" */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
  /** Where notifications go; also settable with `POST /sim/config {"notifyUrl"}`. */
  notifyUrl?: string;
  /** @default simulatorDefaults.apiKey */
  apiKey?: string;
  /** @default simulatorDefaults.webhookSecret */
  webhookSecret?: string;
  /** @default () => new Date() */
  clock?: () => Date;
}

/** The simulator's credentials. Fake, and named so, so they are never mistaken for real ones. */
export const simulatorDefaults = {
  apiKey: "FAKE-__name__-api-key-simulator-only",
  webhookSecret: "FAKE-__name__-webhook-secret-simulator-only",
} as const;

/** What `GET /sim/stats` answers. */
export interface SimulatorStats {
  /** Payments really created: a replayed or refused request is no charge. */
  charges: number;
  /** Notification attempts made. */
  notifications: number;
}

/** A signed notification as the provider delivers it. */
export interface SignedNotification {
  headers: Record<string, string>;
  body: string;
}

/** A running simulator: its server, and the control actions `/sim/` also serves over HTTP. */
export interface Simulator extends SimulatorServer {
  stats(): SimulatorStats;
  /** The customer pays; the notification goes to the notify URL (`notified`: its HTTP status). */
  pay(reference: string): Promise<{ payment: PaymentView; notified: number | null }>;
  /** The payment's notification now, not sent. `forged` signs it with a key nobody was given. */
  webhook(reference: string, options?: { forged?: boolean }): SignedNotification;
}

type Status = "pending" | "paid" | "failed" | "expired";

interface Payment {
  id: string;
  reference: string;
  status: Status;
  amount: { value: string; currency: string };
  bank: string;
  vaNumber: string;
  customerName: string | undefined;
  createdAt: string;
}

/** A payment as the API answers it. */
type PaymentView = Record<string, unknown>;

/** One answer of the API: an HTTP status and a JSON body. */
interface Reply {
  status: number;
  body: unknown;
}

interface SimConfig {
  notifyUrl: string | undefined;
}

const CONFIG_FIELDS: ConfigFields<SimConfig> = { notifyUrl: nullable(absoluteUrl) };

const BANKS: readonly string[] = ["bca", "bni", "bri", "permata"];

/**
 * Starts the simulator of the provider's API: `POST /v1/payments` (idempotent on the
 * Idempotency-Key header), `GET /v1/payments?reference=`, signed notifications, and the `/sim/`
 * control API (sandbox/README.md). Everything is in memory and per instance, so parallel tests each
 * start their own.
 */
export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const apiKey = options.apiKey ?? simulatorDefaults.apiKey;
  const secret = options.webhookSecret ?? simulatorDefaults.webhookSecret;
  const forgedSecret = `FAKE-forged-${randomUUID()}`;
  const clock = options.clock ?? (() => new Date());
  const closing = new AbortController();
  const delivery = createCallbackDelivery({
    signal: closing.signal,
    clock,
    timeoutMs: 5_000,
    retryDelaysMs: [1_000, 5_000, 30_000],
  });
  const payments = new Map<string, Payment>(); // by reference
  const replies = new Map<string, Reply>(); // by Idempotency-Key
  let config: SimConfig = { notifyUrl: options.notifyUrl };
  let charges = 0;
  let notifications = 0;

  function answer(request: IncomingMessage, url: URL, body: string): Reply {
    if (header(request, "authorization") !== `Bearer ${apiKey}`) {
      return error(401, "unauthorized", "the API key is missing or wrong");
    }
    const route = `${request.method} ${url.pathname}`;
    if (route === "POST /v1/payments") return createOnce(header(request, "idempotency-key"), body);
    if (route === "GET /v1/payments") return find(url.searchParams.get("reference") ?? "");
    return error(404, "not_found", `no route ${route}`);
  }

  /** A request under a key already answered gets that answer again, and charges nothing. */
  function createOnce(key: string | undefined, body: string): Reply {
    if (key === undefined || key === "") {
      return error(400, "invalid_request", "the Idempotency-Key header is required");
    }
    const earlier = replies.get(key);
    if (earlier !== undefined) return earlier;
    const reply = create(body);
    if (reply.status === 201) replies.set(key, reply);
    return reply;
  }

  function create(text: string): Reply {
    const request = parseCreate(text);
    if ("message" in request) return error(400, request.code, request.message, request.field);
    if (payments.has(request.reference)) {
      return error(409, "duplicate_reference", `reference ${request.reference} is taken`);
    }
    const payment: Payment = {
      ...request,
      id: `pm_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
      status: "pending",
      vaNumber: String(randomInt(1_000_000_000, 10_000_000_000)),
      createdAt: clock().toISOString(),
    };
    payments.set(payment.reference, payment);
    charges += 1;
    return { status: 201, body: view(payment) };
  }

  function find(reference: string): Reply {
    const payment = payments.get(reference);
    if (payment === undefined) return error(404, "not_found", `no payment with reference ${reference}`);
    return { status: 200, body: view(payment) };
  }

  function stored(reference: string): Payment {
    const payment = payments.get(reference);
    if (payment === undefined) throw new ControlError(404, `no payment with reference ${reference}`);
    return payment;
  }

  /** A notification's bytes: one event, the same bytes on every delivery attempt. */
  function notification(payment: Payment): string {
    const createdAt = clock().toISOString();
    const event = { id: `evt_${randomUUID()}`, type: "payment.updated", created_at: createdAt };
    return JSON.stringify({ ...event, data: view(payment) });
  }

  /** Signed when sent, so a redelivery carries a fresh timestamp. */
  function signed(body: string, key: string): SignedNotification {
    const signature = signatureHeader(key, body, clock());
    return { headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signature }, body };
  }

  async function notify(payment: Payment): Promise<number | null> {
    if (config.notifyUrl === undefined) return null;
    const body = notification(payment);
    const outcome = await delivery.send(config.notifyUrl, {
      message: () => signed(body, secret),
      onAttempt: () => {
        notifications += 1;
      },
    });
    return outcome.status;
  }

  const actions = {
    stats: (): SimulatorStats => ({ charges, notifications }),
    async pay(reference: string) {
      const payment = stored(reference);
      if (payment.status !== "pending") {
        throw new ControlError(409, `payment ${reference} is ${payment.status}, not pending`);
      }
      payment.status = "paid";
      return { payment: view(payment), notified: await notify(payment) };
    },
    webhook(reference: string, { forged = false }: { forged?: boolean } = {}): SignedNotification {
      return signed(notification(stored(reference)), forged ? forgedSecret : secret);
    },
    configure(patch: Partial<SimConfig>): SimConfig {
      config = { ...config, ...patch };
      return config;
    },
    reset(): void {
      payments.clear();
      replies.clear();
      charges = 0;
      notifications = 0;
      config = { notifyUrl: options.notifyUrl };
    },
  };

  const control: ControlRoutes = {
    ...baseControlRoutes(actions, CONFIG_FIELDS),
    "POST /sim/pay": async (request) => actions.pay(referenceIn(await readJsonObject(request))),
    "POST /sim/webhook": async (request) => {
      const body = await readJsonObject(request);
      return actions.webhook(referenceIn(body), { forged: body.forged === true });
    },
  };

  const server = await startSimulatorServer({
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    closing,
    control,
    async handle(request, response, url) {
      const body = (await readBody(request)).toString("utf8");
      const reply = answer(request, url, body);
      sendJson(response, reply.status, reply.body);
    },
  });
  return { ...actions, url: server.url, port: server.port, close: server.close };
}

/** The provider's error body. */
function error(status: number, code: string, message: string, field?: string): Reply {
  return { status, body: { error: { code, message, ...(field === undefined ? {} : { field }) } } };
}

function view(payment: Payment): PaymentView {
  return {
    id: payment.id,
    reference: payment.reference,
    status: payment.status,
    amount: payment.amount,
    bank: payment.bank,
    va_number: payment.vaNumber,
    ...(payment.customerName === undefined ? {} : { customer_name: payment.customerName }),
    created_at: payment.createdAt,
  };
}

type CreateRequest = Pick<Payment, "reference" | "amount" | "bank" | "customerName">;
type Refusal = { code: string; message: string; field?: string };

/** The create body checked as the provider documents it; a refusal names the field at fault. */
function parseCreate(text: string): CreateRequest | Refusal {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { code: "invalid_request", message: "the body is not JSON" };
  }
  if (!isObject(body)) return { code: "invalid_request", message: "the body is not a JSON object" };
  const invalid = (field: string, message: string): Refusal => ({ code: "invalid_field", message, field });
  const { reference, amount, bank, customer_name: customerName, description } = body;
  if (typeof reference !== "string" || !/^[\x21-\x7e]{1,64}$/.test(reference)) {
    return invalid("reference", "must be 1 to 64 printable characters");
  }
  if (!isObject(amount)) return invalid("amount", "is required");
  const { value, currency } = amount;
  if (currency !== "IDR") return invalid("amount.currency", "only IDR is accepted");
  if (typeof value !== "string" || !/^\d{1,13}(\.\d{2})?$/.test(value)) {
    return invalid("amount.value", 'must be a decimal string such as "150000.00"');
  }
  if (!/^\d+(\.00)?$/.test(value)) return invalid("amount.value", "must be whole rupiah");
  if (typeof bank !== "string" || !BANKS.includes(bank)) {
    return invalid("bank", `must be one of ${BANKS.join(", ")}`);
  }
  if (customerName !== undefined && (typeof customerName !== "string" || customerName.length > 40)) {
    return invalid("customer_name", "must be at most 40 characters");
  }
  if (description !== undefined && (typeof description !== "string" || description.length > 255)) {
    return invalid("description", "must be at most 255 characters");
  }
  return { reference, amount: { value, currency }, bank, customerName };
}

function referenceIn(body: Record<string, unknown>): string {
  if (typeof body.reference !== "string") throw new ControlError(400, "reference is required");
  return body.reference;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
