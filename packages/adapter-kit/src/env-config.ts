import { HTTP_RETRY_DEFAULTS } from "@paymesh/resilience";
import { z } from "zod";

/**
 * A service's configuration is read from its environment through one zod schema per service, keyed
 * by variable name, so every error names the variable at fault and what it must be. An empty
 * variable counts as unset.
 */
export type EnvShape = Record<string, z.ZodType>;

/** A configuration error: `variable` is the environment variable at fault. */
export class ConfigError extends Error {
  readonly variable: string;

  constructor(service: string, variable: string, problem: string) {
    super(`${service}: ${variable} ${problem}`);
    this.name = "ConfigError";
    this.variable = variable;
  }
}

/**
 * Reads and checks `env` against `shape`; throws a {@link ConfigError} naming the first variable
 * that is missing or wrong.
 */
export function readEnv<Shape extends EnvShape>(
  service: string,
  shape: Shape,
  env: NodeJS.ProcessEnv = process.env,
): z.output<z.ZodObject<Shape>> {
  const given: Record<string, string | undefined> = {};
  for (const name of Object.keys(shape)) {
    const value = env[name];
    given[name] = value === "" ? undefined : value;
  }
  const parsed = z.object(shape).safeParse(given);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const variable = String(issue?.path[0] ?? "?");
  const problem = given[variable] === undefined ? "is required" : `${issue?.message ?? "is not valid"}`;
  throw new ConfigError(service, variable, problem);
}

/** Builders for the kinds of variables services read. */
export const env = {
  /** Required text. */
  text: () => z.string({ error: "is required" }).min(1, { error: "is required" }),
  /** A URL, parsed now so a typo fails at startup, not on the first payment. */
  url: () =>
    z
      .string({ error: "is required" })
      .refine((value) => URL.canParse(value), { error: (issue) => `is not a URL: ${String(issue.input)}` }),
  /** A whole number in [min, max]. */
  int: (min: number, max: number) =>
    z.string({ error: "is required" }).transform((value, context) => {
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
        context.addIssue({
          code: "custom",
          message: `must be an integer ${min}–${max}, got ${JSON.stringify(value)}`,
        });
        return z.NEVER;
      }
      return parsed;
    }),
  /**
   * "1" or "true" is on; "0", "false" or unset is off. A flag that is on unless turned off is
   * `env.flag().default(true)`: unset (or empty) is then on, and "0" or "false" still turns it off.
   */
  flag: () =>
    z
      .enum(["1", "0", "true", "false"], { error: 'must be "1" or "0"' })
      .optional()
      .transform((value) => value === "1" || value === "true"),
};

/**
 * The upstream retry backoff every adapter reads, from `<PREFIX>_HTTP_MAX_ATTEMPTS` (calls in total;
 * 1 = no retries), `<PREFIX>_HTTP_INITIAL_DELAY_MS` and `<PREFIX>_HTTP_MAX_DELAY_MS` (cap on any
 * wait, a Retry-After included), with the defaults of `@paymesh/resilience`.
 */
export function readRetryEnv(
  service: string,
  prefix: string,
  source: NodeJS.ProcessEnv = process.env,
): { maxAttempts: number; initialDelayMs: number; maxDelayMs: number } {
  const names = {
    maxAttempts: `${prefix}_HTTP_MAX_ATTEMPTS`,
    initialDelayMs: `${prefix}_HTTP_INITIAL_DELAY_MS`,
    maxDelayMs: `${prefix}_HTTP_MAX_DELAY_MS`,
  };
  const read = readEnv(
    service,
    {
      [names.maxAttempts]: env.int(1, 10).default(HTTP_RETRY_DEFAULTS.maxAttempts),
      [names.initialDelayMs]: env.int(0, 60_000).default(HTTP_RETRY_DEFAULTS.initialDelayMs),
      [names.maxDelayMs]: env.int(0, 600_000).default(HTTP_RETRY_DEFAULTS.maxDelayMs),
    },
    source,
  ) as Record<string, number>;
  const retry = {
    maxAttempts: read[names.maxAttempts] ?? HTTP_RETRY_DEFAULTS.maxAttempts,
    initialDelayMs: read[names.initialDelayMs] ?? HTTP_RETRY_DEFAULTS.initialDelayMs,
    maxDelayMs: read[names.maxDelayMs] ?? HTTP_RETRY_DEFAULTS.maxDelayMs,
  };
  if (retry.maxDelayMs < retry.initialDelayMs) {
    throw new ConfigError(service, names.maxDelayMs, `must not be below ${names.initialDelayMs}`);
  }
  return retry;
}

/** Where an adapter process serves gRPC. */
export interface ListenConfig {
  host: string;
  port: number;
}

/**
 * Every adapter's listening address: `ADAPTER_HOST` (default 127.0.0.1) and `ADAPTER_PORT`
 * (0 asks for a free port; the default is the adapter's own, so a local stack knows where it is).
 */
export function readListenEnv(
  service: string,
  defaultPort: number,
  source: NodeJS.ProcessEnv = process.env,
): ListenConfig {
  const read = readEnv(
    service,
    {
      ADAPTER_HOST: env.text().default("127.0.0.1"),
      ADAPTER_PORT: env.int(0, 65_535).default(defaultPort),
    },
    source,
  );
  return { host: read.ADAPTER_HOST, port: read.ADAPTER_PORT };
}
