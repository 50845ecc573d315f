import { randomBytes } from "node:crypto";
import {
  type BaseSimulatorOptions,
  type ResolvedBaseOptions,
  resolveBaseOptions,
} from "@paymesh/sandbox-kit";

/**
 * How the simulator answers a reused X-IDEMPOTENCY-KEY. docs/providers.md documents
 * `DUPLICATE_TRANSACTION_ERROR` ("idempotency key used before"), so `"reject"` is the default;
 * `"replay"` (same key and same body answer the original disbursement, a different body is
 * rejected) is the Stripe-style reading some payout APIs use, kept so the adapter is tested
 * against both.
 */
export type IdempotencyMode = "reject" | "replay";

/**
 * Everything a simulator can be told at start; every field has a default for a local run.
 * `notifyUrl` is where callbacks go.
 */
export interface TransferSimulatorOptions extends BaseSimulatorOptions {
  /** Basic-auth username with money-out permission. @default simulatorDefaults.secretKey */
  secretKey?: string;
  /** A key that may read but not disburse: POST answers REQUEST_FORBIDDEN_ERROR. @default simulatorDefaults.readOnlySecretKey */
  readOnlySecretKey?: string;
  /** Sent as `x-callback-token` on every callback. @default simulatorDefaults.callbackToken */
  callbackToken?: string;
  /** `user_id` of every disbursement (the Xendit business id). @default simulatorDefaults.userId */
  userId?: string;
  /** Disbursement ids. @default 24 random hex characters (Xendit ids look like Mongo object ids) */
  newId?: () => string;
  /** @default "reject" */
  idempotencyMode?: IdempotencyMode;
  /**
   * Waits before each callback retry; the list's length is the retry count. Xendit retries for
   * 24 h until it gets a 2xx (docs/providers.md); the exact schedule is *unconfirmed*, this default
   * spreads seven retries over about a day. Tests inject short delays.
   * @default [5000, 30000, 120000, 600000, 3600000, 21600000, 64800000]
   */
  callbackRetryDelaysMs?: readonly number[];
  /** @default 5000 */
  callbackTimeoutMs?: number;
  /**
   * Complete every new disbursement by itself after this many milliseconds, as the real bank
   * network would; undefined leaves completion to `POST /sim/complete`. Also settable with
   * `POST /sim/config`. @default undefined
   */
  autoCompleteMs?: number;
}

/** The defaults as values, so tests and adapterEnv (adapter-env.ts) can use them without repeating them. */
export const simulatorDefaults = {
  secretKey: "FAKE-xnd_development_paymesh_secret_key",
  readOnlySecretKey: "FAKE-xnd_development_paymesh_read_only_key",
  callbackToken: "FAKE-paymesh-xendit-callback-token",
  userId: "5f0c8e1d2b3a4c5d6e7f8a9b",
} as const;

/** Options with every default applied, resolved in exactly one place. */
export interface ResolvedSimulatorOptions extends ResolvedBaseOptions {
  secretKey: string;
  readOnlySecretKey: string;
  callbackToken: string;
  userId: string;
  newId: () => string;
  idempotencyMode: IdempotencyMode;
  callbackRetryDelaysMs: readonly number[];
  callbackTimeoutMs: number;
  autoCompleteMs: number | undefined;
}

/** Applies the defaults documented on {@link TransferSimulatorOptions}. */
export function resolveSimulatorOptions(options: TransferSimulatorOptions): ResolvedSimulatorOptions {
  return {
    ...resolveBaseOptions(options),
    secretKey: options.secretKey ?? simulatorDefaults.secretKey,
    readOnlySecretKey: options.readOnlySecretKey ?? simulatorDefaults.readOnlySecretKey,
    callbackToken: options.callbackToken ?? simulatorDefaults.callbackToken,
    userId: options.userId ?? simulatorDefaults.userId,
    newId: options.newId ?? (() => randomBytes(12).toString("hex")),
    idempotencyMode: options.idempotencyMode ?? "reject",
    callbackRetryDelaysMs: options.callbackRetryDelaysMs ?? [
      5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000, 64_800_000,
    ],
    callbackTimeoutMs: options.callbackTimeoutMs ?? 5_000,
    autoCompleteMs: options.autoCompleteMs,
  };
}
