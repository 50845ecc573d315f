import { randomInt, randomUUID } from "node:crypto";
import {
  type BaseSimulatorOptions,
  type ResolvedBaseOptions,
  resolveBaseOptions,
} from "@paymesh/sandbox-kit";

/**
 * Everything a simulator can be told at start; every field has a default for a local run.
 * `notifyUrl` is the dashboard's Payment Notification URL.
 */
export interface VaSimulatorOptions extends BaseSimulatorOptions {
  /**
   * The merchant's Server Key: requests must carry `Basic base64(serverKey + ":")`, and
   * notifications are signed with it. @default simulatorDefaults.serverKey
   */
  serverKey?: string;
  /** Echoed as `merchant_id`. @default simulatorDefaults.merchantId */
  merchantId?: string;
  /** `transaction_id` of each new transaction and `id` of error bodies. @default randomUUID */
  newId?: () => string;
  /** `count` random decimal digits for generated VA numbers. @default node:crypto randomInt */
  newDigits?: (count: number) => string;
  /** Expiry of a charge without `custom_expiry`. @default 86400 (docs/providers.md: 24 h) */
  defaultExpirySeconds?: number;
  /** Waits before each notification retry; its length is the retry count. @default [1000, 5000, 30000] */
  notifyRetryDelaysMs?: readonly number[];
  /** @default 5000 */
  notifyTimeoutMs?: number;
  /**
   * Fee per settled VA payment in the settlement report, IDR minor units. @default 400000
   * (Rp4.000, Midtrans's published flat VA price; unconfirmed for any given merchant contract)
   */
  feeMinorUnits?: bigint;
}

/**
 * The defaults as values, so tests and the adapter's local config can point at a simulator
 * without repeating them. The key is fake and says so: a real Midtrans sandbox key starts with
 * `SB-Mid-server-`, this one with `FAKE-`, so it can never be mistaken for one.
 */
export const simulatorDefaults = {
  serverKey: "FAKE-SB-Mid-server-paymesh-simulator-only",
  merchantId: "G000PAYMESH",
} as const;

/** Rp4.000 per settled VA payment, in IDR minor units: the default of {@link VaSimulatorOptions.feeMinorUnits}. */
export const DEFAULT_FEE_MINOR_UNITS = 400_000n;

/** Options with every default applied, resolved in exactly one place. */
export interface ResolvedSimulatorOptions extends ResolvedBaseOptions {
  serverKey: string;
  merchantId: string;
  newId: () => string;
  newDigits: (count: number) => string;
  defaultExpirySeconds: number;
  notifyRetryDelaysMs: readonly number[];
  notifyTimeoutMs: number;
  feeMinorUnits: bigint;
}

function randomDigits(count: number): string {
  let digits = "";
  for (let i = 0; i < count; i += 1) digits += String(randomInt(10));
  return digits;
}

/** Applies the defaults documented on {@link VaSimulatorOptions}. */
export function resolveSimulatorOptions(options: VaSimulatorOptions): ResolvedSimulatorOptions {
  return {
    ...resolveBaseOptions(options),
    serverKey: options.serverKey ?? simulatorDefaults.serverKey,
    merchantId: options.merchantId ?? simulatorDefaults.merchantId,
    newId: options.newId ?? randomUUID,
    newDigits: options.newDigits ?? randomDigits,
    defaultExpirySeconds: options.defaultExpirySeconds ?? 86_400,
    notifyRetryDelaysMs: options.notifyRetryDelaysMs ?? [1000, 5000, 30_000],
    notifyTimeoutMs: options.notifyTimeoutMs ?? 5000,
    feeMinorUnits: options.feeMinorUnits ?? DEFAULT_FEE_MINOR_UNITS,
  };
}
