import { type EnvShape, env, readEnv, readRetryEnv } from "@paymesh/adapter-kit";

/** The service name every configuration error starts with. */
const SERVICE = "adapter-__name__";

/**
 * The adapter's environment, one schema keyed by variable name, so an error names the variable at
 * fault. The README lists the same variables: keep the two in step.
 */
const SHAPE = {
  /** The provider's API: the simulator's URL in tests, the provider's in production. */
  __NAME___BASE_URL: env.url(),
  /** The merchant's API key, sent as a bearer token. */
  __NAME___API_KEY: env.text(),
  /** The secret the provider signs its notifications with. */
  __NAME___WEBHOOK_SECRET: env.text(),
  /** Per round trip to the provider, answer included. */
  __NAME___TIMEOUT_MS: env.int(1, 600_000).default(10_000),
  ADAPTER_HOST: env.text().default("127.0.0.1"),
  /** 0 picks a free port; a deployment gives the adapter a fixed one for the router's config. */
  ADAPTER_PORT: env.int(0, 65_535).default(0),
} satisfies EnvShape;

/** Everything the adapter process needs, read from its environment. */
export interface Config {
  host: string;
  port: number;
  baseUrl: string;
  apiKey: string;
  webhookSecret: string;
  timeoutMs: number;
  /** The upstream retry backoff; what may be retried is the client's RULES table, not configuration. */
  retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
}

/**
 * Reads the configuration, throwing a ConfigError that names the variable at fault. Besides the
 * variables above: __NAME___HTTP_MAX_ATTEMPTS, __NAME___HTTP_INITIAL_DELAY_MS and
 * __NAME___HTTP_MAX_DELAY_MS (readRetryEnv, with the defaults of @paymesh/resilience).
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const read = readEnv(SERVICE, SHAPE, source);
  return {
    host: read.ADAPTER_HOST,
    port: read.ADAPTER_PORT,
    baseUrl: read.__NAME___BASE_URL,
    apiKey: read.__NAME___API_KEY,
    webhookSecret: read.__NAME___WEBHOOK_SECRET,
    timeoutMs: read.__NAME___TIMEOUT_MS,
    retry: readRetryEnv(SERVICE, "__NAME__", source),
  };
}
