import { readFileSync } from "node:fs";
import { ConfigError, env, readEnv } from "@paymesh/adapter-kit";
import { z } from "zod";
import { FEE_ROUNDINGS, type FeeRule, feeScheduleParams } from "./fee-schedule.ts";
import type { SettlementTerms } from "./reconciler.ts";

const SERVICE = "reconciler";

/** One adapter the reconciler reads reports from, and the terms its provider settles on. */
export interface ReconAdapterConfig {
  /** grpc-js target of the adapter, "host:port" or "dns:///name:port". */
  address: string;
  /** The provider id its Describe must answer; unset: not checked. */
  provider?: string;
  terms: Required<Pick<SettlementTerms, "timeZone" | "settlementLagMs">> & SettlementTerms;
}

/**
 * What the reconciler runs and how, as PAYMESH_RECON_CONFIG (or its file) says, wherever it is
 * hosted: its own process, or the router's when the database is the router's embedded one.
 */
export interface ReconSettings {
  adapters: Record<string, ReconAdapterConfig>;
  /** Days a returning reconciler looks back for runs it missed. @default 7 */
  lookBackDays: number;
  /** How often the scheduler looks for due runs. @default 60000 */
  intervalMs: number;
  /** Delays before each retry of a failed run (the last repeats). @default [60000, 300000, 1800000] */
  retryDelaysMs: number[];
  /** Attempts before a run's job goes to `paymesh.recon.dlq`. @default 8 */
  maxAttempts: number;
  /**
   * Operator name → bearer token for the reconciler process's ReconciliationRunService, as
   * `operators` in the JSON (the process adds PAYMESH_OPERATORS_FILE's). Unused when the router
   * hosts reconciliation. @default {}
   */
  operators: Record<string, string>;
}

/** Everything the reconciler process is told at start. */
export interface ReconcilerConfig extends ReconSettings {
  /** Postgres: the store the router writes (DATABASE_URL; required). */
  databaseUrl: string;
  /** A schema of its own on that server (PAYMESH_DB_SCHEMA, tests). @default "public" */
  schema?: string;
  /** RabbitMQ for `paymesh.recon` and `payments.recon` (AMQP_URL); unset: both in process. */
  amqpUrl?: string;
  /** Prefix of the queue and exchange names (PAYMESH_AMQP_PREFIX, tests). @default "" */
  amqpPrefix: string;
  /** Where /metrics, /healthz and /readyz listen (RECON_HOST, RECON_HTTP_PORT). */
  host: string;
  httpPort: number;
  /** Where ReconciliationRunService listens, on RECON_HOST (RECON_GRPC_PORT). @default 0 (a free port) */
  grpcPort: number;
}

const duration = z.number().int().nonnegative();
// Name → bearer token; as short a token as the router refuses is refused here too.
const TOKENS = z.record(
  z.string().min(1),
  z.string().min(16, { error: "a token must be at least 16 characters" }),
);
// Minor units may pass 2^53: a decimal string, or a number for small fees.
const MINOR_UNITS = z
  .union([z.string().regex(/^\d+$/, { error: "must be whole minor units" }), z.number().int().nonnegative()])
  .transform((value) => BigInt(value));
const FEE_RULE = z
  .object({
    currency: z.string(),
    ratePpm: z.number().int().optional(),
    flatMinor: MINOR_UNITS.optional(),
    taxPpm: z.number().int().optional(),
    rounding: z.enum(FEE_ROUNDINGS).optional(),
    roundingUnitMinor: MINOR_UNITS.optional(),
  })
  .strict();
const ADAPTER = z
  .object({
    address: z.string().min(1, { error: "is required" }),
    provider: z.string().min(1).optional(),
    settlementLagMs: duration,
    timeZone: z.string().optional(),
    cutoffSkewMs: duration.optional(),
    fees: z.array(FEE_RULE).optional(),
  })
  .strict();
const FILE = z
  .object({
    adapters: z.record(
      z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, { error: "must be an adapter name" }),
      ADAPTER,
    ),
    timeZone: z.string().optional(),
    lookBackDays: z.number().int().min(1).max(366).optional(),
    intervalMs: z.number().int().min(100).optional(),
    retryDelaysMs: z.array(duration).min(1).optional(),
    maxAttempts: z.number().int().min(1).optional(),
    operators: TOKENS.optional(),
  })
  .strict();

/**
 * Reads the reconciler's configuration: DATABASE_URL (required: the embedded PGlite database is
 * one process's, the router's, which then hosts the reconciler itself), AMQP_URL, RECON_HOST,
 * RECON_HTTP_PORT, RECON_GRPC_PORT, PAYMESH_OPERATORS_FILE, PAYMESH_DB_SCHEMA, PAYMESH_AMQP_PREFIX,
 * and {@link loadReconSettings}. Throws a ConfigError naming the variable (and the JSON path).
 */
export function loadReconcilerConfig(source: NodeJS.ProcessEnv = process.env): ReconcilerConfig {
  const vars = readEnv(
    SERVICE,
    {
      DATABASE_URL: env.url(),
      AMQP_URL: env.url().optional(),
      RECON_HOST: z.string().default("127.0.0.1"),
      RECON_HTTP_PORT: env.int(0, 65_535).default(0),
      RECON_GRPC_PORT: env.int(0, 65_535).default(0),
      PAYMESH_OPERATORS_FILE: z.string().optional(),
      PAYMESH_DB_SCHEMA: z.string().optional(),
      PAYMESH_AMQP_PREFIX: z.string().default(""),
    },
    source,
  );
  const settings = loadReconSettings(source);
  return {
    databaseUrl: vars.DATABASE_URL,
    ...(vars.PAYMESH_DB_SCHEMA === undefined ? {} : { schema: vars.PAYMESH_DB_SCHEMA }),
    ...(vars.AMQP_URL === undefined ? {} : { amqpUrl: vars.AMQP_URL }),
    amqpPrefix: vars.PAYMESH_AMQP_PREFIX,
    host: vars.RECON_HOST,
    httpPort: vars.RECON_HTTP_PORT,
    grpcPort: vars.RECON_GRPC_PORT,
    ...settings,
    operators: {
      ...settings.operators,
      ...(vars.PAYMESH_OPERATORS_FILE === undefined ? {} : operatorsFile(vars.PAYMESH_OPERATORS_FILE)),
    },
  };
}

/** Whether PAYMESH_RECON_CONFIG or PAYMESH_RECON_CONFIG_FILE is set: whether there is anything to reconcile. */
export function hasReconSettings(source: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(source.PAYMESH_RECON_CONFIG || source.PAYMESH_RECON_CONFIG_FILE);
}

/**
 * The adapters and the schedule, as JSON in PAYMESH_RECON_CONFIG or the file
 * PAYMESH_RECON_CONFIG_FILE names. `service` names the process in a ConfigError (the router reads
 * them too, to host the reconciler on its embedded database).
 */
export function loadReconSettings(source: NodeJS.ProcessEnv = process.env, service = SERVICE): ReconSettings {
  const [variable, text] = configText(source, service);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(service, variable, "is not JSON");
  }
  const parsed = FILE.safeParse(json);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const path = issue?.path.join(".") ?? "";
    throw new ConfigError(
      service,
      variable,
      `${path === "" ? "" : `${path}: `}${issue?.message ?? "is not valid"}`,
    );
  }
  const file = parsed.data;
  const defaultZone = file.timeZone ?? "Asia/Jakarta";
  if (!isTimeZone(defaultZone))
    throw new ConfigError(service, variable, `timeZone: ${JSON.stringify(defaultZone)} is not a time zone`);
  const adapters: Record<string, ReconAdapterConfig> = {};
  for (const [name, adapter] of Object.entries(file.adapters)) {
    const at = `adapters.${name}`;
    const timeZone = adapter.timeZone ?? defaultZone;
    if (!isTimeZone(timeZone))
      throw new ConfigError(
        service,
        variable,
        `${at}.timeZone: ${JSON.stringify(timeZone)} is not a time zone`,
      );
    const fees: FeeRule[] = (adapter.fees ?? []).map((rule) => {
      const { flatMinor, ratePpm, taxPpm, currency, rounding, roundingUnitMinor } = rule;
      return {
        currency,
        ...(ratePpm === undefined ? {} : { ratePpm }),
        ...(taxPpm === undefined ? {} : { taxPpm }),
        ...(flatMinor === undefined ? {} : { flatMinor }),
        ...(rounding === undefined ? {} : { rounding }),
        ...(roundingUnitMinor === undefined ? {} : { roundingUnitMinor }),
      };
    });
    try {
      feeScheduleParams(fees);
    } catch (error) {
      throw new ConfigError(
        service,
        variable,
        `${at}.fees: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    adapters[name] = {
      address: adapter.address,
      ...(adapter.provider === undefined ? {} : { provider: adapter.provider }),
      terms: {
        timeZone,
        settlementLagMs: adapter.settlementLagMs,
        fees,
        ...(adapter.cutoffSkewMs === undefined ? {} : { cutoffSkewMs: adapter.cutoffSkewMs }),
      },
    };
  }
  return {
    adapters,
    lookBackDays: file.lookBackDays ?? 7,
    intervalMs: file.intervalMs ?? 60_000,
    retryDelaysMs: file.retryDelaysMs ?? [60_000, 300_000, 1_800_000],
    maxAttempts: file.maxAttempts ?? 8,
    operators: file.operators ?? {},
  };
}

/** PAYMESH_OPERATORS_FILE's tokens; the error names the variable and never quotes the file. */
function operatorsFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new ConfigError(SERVICE, "PAYMESH_OPERATORS_FILE", `names a file that cannot be read (${code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(SERVICE, "PAYMESH_OPERATORS_FILE", "is not JSON");
  }
  const parsed = TOKENS.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(SERVICE, "PAYMESH_OPERATORS_FILE", 'must be a JSON object {"<name>": "<token>"}');
  }
  return parsed.data;
}

/** PAYMESH_RECON_CONFIG's JSON, else the file PAYMESH_RECON_CONFIG_FILE names; and which it was. */
function configText(source: NodeJS.ProcessEnv, service: string): [string, string] {
  if (source.PAYMESH_RECON_CONFIG) return ["PAYMESH_RECON_CONFIG", source.PAYMESH_RECON_CONFIG];
  const file = source.PAYMESH_RECON_CONFIG_FILE;
  if (!file)
    throw new ConfigError(
      service,
      "PAYMESH_RECON_CONFIG",
      "is required (JSON), or PAYMESH_RECON_CONFIG_FILE",
    );
  try {
    return ["PAYMESH_RECON_CONFIG_FILE", readFileSync(file, "utf8")];
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new ConfigError(service, "PAYMESH_RECON_CONFIG_FILE", `names a file that cannot be read (${code})`);
  }
}

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}
