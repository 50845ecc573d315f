import { readFileSync, writeFileSync } from "node:fs";
import { ConfigError, readEnv } from "@paymesh/adapter-kit";
import { PaymentMethodType } from "@paymesh/proto";
import { type AdapterPolicyConfigInput, parseAdapterPolicyConfig } from "@paymesh/resilience";
import {
  createKeyRing,
  ephemeralKeyRing,
  formatKeyRing,
  generateKeyEncryptionKey,
  isKeyRingError,
  type KeyRing,
  parseKeyRing,
} from "@paymesh/store";
import { z } from "zod";

/** One adapter the router can call. */
export interface AdapterConfig {
  /**
   * Where the adapter's gRPC server is, as a grpc-js target: "host:port", or "dns:///name:port" to
   * resolve every address of a name (a Kubernetes headless Service: one per ready pod).
   */
  address: string;
  /**
   * How calls spread over the addresses the target resolves to: "pick_first" keeps one connection,
   * "round_robin" spreads calls over every address (every pod). @default "pick_first"
   */
  loadBalancing?: LoadBalancing;
  /** Overrides of the router-wide `policy` for this adapter (see @paymesh/resilience). */
  policy?: AdapterPolicySettings;
  /** Media types its provider's webhooks may arrive as; others get 415. @default ["application/json"] */
  webhookContentTypes?: string[];
}

/** grpc-js load-balancing policies the router offers for an adapter's channel. */
export const LOAD_BALANCING = ["pick_first", "round_robin"] as const;
export type LoadBalancing = (typeof LOAD_BALANCING)[number];

/** Timeout, retry, breaker and bulkhead settings, as written in config; defaults in @paymesh/resilience. */
export type AdapterPolicySettings = AdapterPolicyConfigInput;

/**
 * Everything the router is told at start. Adapters and routes are data: a new adapter is a config
 * change, never a router code change.
 */
export interface RouterConfig {
  /** @default "127.0.0.1" */
  host: string;
  /** gRPC port for PaymentService. @default 50051 (0 picks a free port) */
  grpcPort: number;
  /** HTTP port for Connect/JSON and webhooks. @default 8080 (0 picks a free port) */
  httpPort: number;
  /** Calling service name → bearer token. */
  callers: Record<string, string>;
  /**
   * Operator name → bearer token for the /admin endpoints (adapters, dead letters: replay and drop
   * change what the router will apply). When empty, the callers' tokens are accepted there, as in
   * the local stack. @default {}
   */
  operators: Record<string, string>;
  /** Adapter name (the webhook path segment) → where it listens. */
  adapters: Record<string, AdapterConfig>;
  /** Method → adapter names in priority order. */
  routes: Partial<Record<MethodName, string[]>>;
  /** Upper bound on one adapter call when the caller gives no tighter deadline. @default 15000 */
  adapterTimeoutMs: number;
  /** How long a claimed idempotency key holds before another router may take it over. @default 30000 */
  idempotencyLeaseMs: number;
  /** How long finished idempotent answers are kept. @default 86400000 (24 h) */
  idempotencyRetentionMs: number;
  /** Policy settings for every adapter, each adapter's own `policy` on top. @default {} */
  policy: AdapterPolicySettings;
  /** The status resolver (unknown outcomes, lost webhooks). */
  resolver: ResolverSettings;
  /** The webhook work queue. */
  webhooks: WebhookSettings;
  /** The payment event outbox and its relay to payments.events. */
  events: EventSettings;
}

/** How verified webhook events are applied from the work queue. */
export interface WebhookSettings {
  /** Delays before each retry of a failed event (the last repeats). @default [1000, 5000, 30000, 120000] */
  retryDelaysMs: number[];
  /** Attempts before an event goes to the dead-letter queue. @default 6 */
  maxAttempts: number;
  /** Consumers this router runs on the queue. @default 4 */
  consumers: number;
  /** How long a webhook waits for the queue to take its events before the answer is 503. @default 5000 */
  enqueueTimeoutMs: number;
}

/** The outbox relay. */
export interface EventSettings {
  /**
   * The relay's safety sweep: writes wake the relay at once, and an idle router looks for events
   * no write announced (a router stopped between its write and its relay pass) this often. @default 10000
   */
  sweepIntervalMs: number;
  /** Relay passes start at least this far apart: under load, the writes of the interval go together. @default 50 */
  minPassIntervalMs: number;
  /** How long published events stay in the outbox (WatchPayment reads them). @default 604800000 (7 days) */
  retentionMs: number;
}

/** How the status resolver asks providers about payments whose outcome it does not know. */
export interface ResolverSettings {
  /** How often it looks for due work. @default 1000 */
  intervalMs: number;
  /** First wait before asking again; doubles each time. @default 1000 */
  initialDelayMs: number;
  /** Longest wait between two questions. @default 300000 (5 min) */
  maxDelayMs: number;
  /** Past this age an unresolved payment is raised for review, never guessed. @default 86400000 (24 h) */
  horizonMs: number;
  /** When to first check a payment the provider accepted but that is not final yet (a lost webhook). @default 600000 (10 min) */
  pollAcceptedAfterMs: number;
  /**
   * How old a payment must be before the provider's "not found" is taken as "never created":
   * longer than any request could still be in flight upstream (SNAP accepts timestamps up to 5
   * minutes old). @default 600000 (10 min)
   */
  notFoundConclusiveAfterMs: number;
}

/** Route keys as written in config files. */
export type MethodName = "qris" | "virtual_account" | "bank_transfer" | "remittance";

export const METHOD_TYPES: Readonly<Record<MethodName, PaymentMethodType>> = {
  qris: PaymentMethodType.QRIS,
  virtual_account: PaymentMethodType.VIRTUAL_ACCOUNT,
  bank_transfer: PaymentMethodType.BANK_TRANSFER,
  remittance: PaymentMethodType.REMITTANCE,
};

/** Fills defaults and checks that every route names a configured adapter. */
export function resolveRouterConfig(
  input: Partial<Omit<RouterConfig, "resolver" | "webhooks" | "events">> & {
    resolver?: Partial<ResolverSettings>;
    webhooks?: Partial<WebhookSettings>;
    events?: Partial<EventSettings>;
  },
): RouterConfig {
  const config: RouterConfig = {
    host: input.host ?? "127.0.0.1",
    grpcPort: input.grpcPort ?? 50051,
    httpPort: input.httpPort ?? 8080,
    callers: input.callers ?? {},
    operators: input.operators ?? {},
    adapters: input.adapters ?? {},
    routes: input.routes ?? {},
    adapterTimeoutMs: input.adapterTimeoutMs ?? 15_000,
    idempotencyLeaseMs: input.idempotencyLeaseMs ?? 30_000,
    idempotencyRetentionMs: input.idempotencyRetentionMs ?? 24 * 60 * 60 * 1000,
    policy: input.policy ?? {},
    resolver: {
      intervalMs: input.resolver?.intervalMs ?? 1_000,
      initialDelayMs: input.resolver?.initialDelayMs ?? 1_000,
      maxDelayMs: input.resolver?.maxDelayMs ?? 300_000,
      horizonMs: input.resolver?.horizonMs ?? 24 * 60 * 60 * 1000,
      pollAcceptedAfterMs: input.resolver?.pollAcceptedAfterMs ?? 600_000,
      notFoundConclusiveAfterMs: input.resolver?.notFoundConclusiveAfterMs ?? 600_000,
    },
    webhooks: {
      retryDelaysMs: input.webhooks?.retryDelaysMs ?? [1_000, 5_000, 30_000, 120_000],
      maxAttempts: input.webhooks?.maxAttempts ?? 6,
      consumers: input.webhooks?.consumers ?? 4,
      enqueueTimeoutMs: input.webhooks?.enqueueTimeoutMs ?? 5_000,
    },
    events: {
      sweepIntervalMs: input.events?.sweepIntervalMs ?? 10_000,
      minPassIntervalMs: input.events?.minPassIntervalMs ?? 50,
      retentionMs: input.events?.retentionMs ?? 7 * 24 * 60 * 60 * 1000,
    },
  };
  if (!Number.isInteger(config.webhooks.consumers) || config.webhooks.consumers < 1)
    throw new Error("router config: webhooks.consumers must be a positive integer");
  // Fail at start, naming the field, rather than on the first payment.
  parseAdapterPolicyConfig(config.policy, "policy");
  for (const [name, adapter] of Object.entries(config.adapters)) {
    if (adapter.policy !== undefined) parseAdapterPolicyConfig(adapter.policy, `adapters.${name}.policy`);
    if (adapter.loadBalancing !== undefined && !LOAD_BALANCING.includes(adapter.loadBalancing))
      throw new Error(
        `router config: adapters.${name}.loadBalancing must be one of ${LOAD_BALANCING.join(", ")}, got ${JSON.stringify(adapter.loadBalancing)}`,
      );
  }
  if (Object.keys(config.callers).length === 0)
    throw new Error("router config: at least one caller token is required");
  for (const [name, token] of Object.entries(config.callers)) {
    if (token.length < 16)
      throw new Error(`router config: caller ${name} token must be at least 16 characters`);
  }
  for (const [name, token] of Object.entries(config.operators)) {
    if (token.length < 16)
      throw new Error(`router config: operator ${name} token must be at least 16 characters`);
  }
  for (const [method, names] of Object.entries(config.routes)) {
    if (!(method in METHOD_TYPES)) throw new Error(`router config: unknown method "${method}" in routes`);
    for (const name of names ?? []) {
      if (config.adapters[name] === undefined)
        throw new Error(`router config: route ${method} names unknown adapter "${name}"`);
    }
  }
  return config;
}

/**
 * Reads the config from PAYMESH_ROUTER_CONFIG (inline JSON) or the file named by
 * PAYMESH_ROUTER_CONFIG_FILE, with PAYMESH_GRPC_PORT / PAYMESH_HTTP_PORT overriding the ports, and
 * the callers' and operators' tokens added from the JSON files (`{"<name>": "<token>"}`) named by
 * PAYMESH_CALLERS_FILE and PAYMESH_OPERATORS_FILE: mounted Secrets, so no token sits in the config.
 */
export function loadRouterConfig(env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const inline = env.PAYMESH_ROUTER_CONFIG;
  const file = env.PAYMESH_ROUTER_CONFIG_FILE;
  const raw = inline ?? (file === undefined ? undefined : readFileSync(file, "utf8"));
  if (raw === undefined) throw new Error("set PAYMESH_ROUTER_CONFIG (JSON) or PAYMESH_ROUTER_CONFIG_FILE");
  const parsed = JSON.parse(raw) as Parameters<typeof resolveRouterConfig>[0];
  if (env.PAYMESH_GRPC_PORT !== undefined) parsed.grpcPort = Number(env.PAYMESH_GRPC_PORT);
  if (env.PAYMESH_HTTP_PORT !== undefined) parsed.httpPort = Number(env.PAYMESH_HTTP_PORT);
  if (env.PAYMESH_CALLERS_FILE)
    parsed.callers = {
      ...parsed.callers,
      ...readTokenFile("PAYMESH_CALLERS_FILE", env.PAYMESH_CALLERS_FILE),
    };
  if (env.PAYMESH_OPERATORS_FILE)
    parsed.operators = {
      ...parsed.operators,
      ...readTokenFile("PAYMESH_OPERATORS_FILE", env.PAYMESH_OPERATORS_FILE),
    };
  return resolveRouterConfig(parsed);
}

/** A `{"<name>": "<token>"}` file; the error names the variable and never quotes the file's content. */
function readTokenFile(variable: string, path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(
      `router config: ${variable} names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`router config: ${variable} is not JSON`);
  }
  if (
    typeof parsed !== "object" ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((token) => typeof token === "string")
  )
    throw new Error(`router config: ${variable} must be a JSON object of name → token strings`);
  return parsed as Record<string, string>;
}

/** The key-encryption keys the store seals payment methods with, and where they came from. */
export interface RouterKeys {
  keys: KeyRing;
  /** For the start banner: "PAYMESH_KEK", the generated key's file, or "generated in memory". */
  source: string;
}

// PAYMESH_KEK as zod reads it: a key ring, or the KeyRingError's words (never the key itself).
const KEK_VARIABLE = z
  .string()
  .optional()
  .transform((text, context) => {
    if (text === undefined) return undefined;
    try {
      return parseKeyRing(text);
    } catch (error) {
      if (!isKeyRingError(error)) throw error;
      context.addIssue({ code: "custom", message: `is not valid: ${error.message}` });
      return z.NEVER;
    }
  });

/**
 * The keys that seal payment methods at rest (docs/architecture.md §7). PAYMESH_KEK holds them:
 * "<id>:<base64 of 32 random bytes>", several separated by commas, the one that seals first. Without
 * it, a Postgres (DATABASE_URL) is refused: a shared, durable database needs a key its operators
 * keep. The embedded database gets a key generated once and kept next to its data folder
 * (`<PAYMESH_DATA_DIR>.kek`, readable by its owner only); an in-memory one, a key that dies with it.
 * Throws a ConfigError naming the variable.
 */
export function loadRouterKeys(env: NodeJS.ProcessEnv = process.env): RouterKeys {
  const { PAYMESH_KEK } = readEnv("router", { PAYMESH_KEK: KEK_VARIABLE }, env);
  if (PAYMESH_KEK !== undefined) return { keys: PAYMESH_KEK, source: "PAYMESH_KEK" };
  if (env.DATABASE_URL) {
    throw new ConfigError(
      "router",
      "PAYMESH_KEK",
      'is required with DATABASE_URL: "<id>:<base64 of 32 random bytes>", e.g. from `openssl rand -base64 32`',
    );
  }
  const dataDir = env.PAYMESH_DATA_DIR;
  if (!dataDir) return { keys: ephemeralKeyRing(), source: "generated in memory" };
  const file = `${dataDir}.kek`;
  return { keys: readOrCreateKeyFile(file), source: file };
}

function readOrCreateKeyFile(file: string): KeyRing {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    const keys = createKeyRing([generateKeyEncryptionKey(`local-${new Date().toISOString().slice(0, 10)}`)]);
    // "wx": two routers starting on one data folder must not each write a key of their own.
    try {
      writeFileSync(file, `${formatKeyRing(keys)}\n`, { mode: 0o600, flag: "wx" });
      return keys;
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== "EEXIST") throw raced;
      text = readFileSync(file, "utf8");
    }
  }
  try {
    return parseKeyRing(text);
  } catch (error) {
    if (!isKeyRingError(error)) throw error;
    throw new ConfigError(
      "router",
      "PAYMESH_DATA_DIR",
      `holds a key file ${file} that is not valid: ${error.message}`,
    );
  }
}
