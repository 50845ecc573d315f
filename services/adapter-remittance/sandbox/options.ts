import { createPrivateKey, type KeyObject, randomUUID } from "node:crypto";
import {
  type BaseSimulatorOptions,
  type ResolvedBaseOptions,
  resolveBaseOptions,
} from "@paymesh/sandbox-kit";
import { loadTestKeys } from "./test-keys.ts";

/** A fee schedule for one source currency: a fixed part plus basis points of the source amount. */
export interface FeeSchedule {
  /** In the source currency's minor units. */
  fixedMinorUnits: bigint;
  /** 45 = 0.45 %. */
  bps: bigint;
}

/**
 * Everything a simulator can be told at start; every field has a default for a local run.
 * `notifyUrl` is where `transfers#state-change` webhooks go.
 */
export interface RemittanceSimulatorOptions extends BaseSimulatorOptions {
  /** The personal API token clients must send as `Authorization: Bearer`. @default "FAKE-wise-sandbox-api-token" */
  apiToken?: string;
  /** The one profile the token may act for. @default "30000001" */
  profileId?: string;
  /** Signs webhooks (`X-Signature-SHA256`). @default loadTestKeys().webhookPrivateKey */
  webhookPrivateKey?: string | KeyObject;
  /** Quote ids, delivery ids and the subscription id. @default randomUUID */
  newId?: () => string;
  /** How long a quote's rate is locked (docs/providers.md: "rate locked ~30 min"). @default 1800 */
  quoteTtlSeconds?: number;
  /** Rates by `"SOURCE>TARGET"`, as decimal text. @default {@link defaultRates} */
  rates?: Readonly<Record<string, string>>;
  /** Wise's own fee per source currency. @default {@link defaultFees} */
  fees?: Readonly<Record<string, FeeSchedule>>;
  /** A partner fee on top, in basis points, itemized as `partner`. @default 0n */
  partnerFeeBps?: bigint;
  /** Opening STANDARD balances by currency, in minor units. @default {@link defaultBalances} */
  balances?: Readonly<Record<string, bigint>>;
  /** Waits before each webhook retry; its length is the retry count. @default [1000, 5000, 30000] */
  notifyRetryDelaysMs?: readonly number[];
  /** @default 5000 */
  notifyTimeoutMs?: number;
}

/**
 * Made-up rates (units of target per unit of source) for the routes the simulator serves: sources
 * IDR, SGD, USD; targets IDR, SGD, USD, AUD, GBP, EUR, JPY. Anything else is an unsupported route.
 */
export const defaultRates: Readonly<Record<string, string>> = {
  "USD>USD": "1",
  "USD>IDR": "15650.5",
  "USD>SGD": "1.3412",
  "USD>AUD": "1.5231",
  "USD>GBP": "0.78945",
  "USD>EUR": "0.92113",
  "USD>JPY": "149.62",
  "SGD>SGD": "1",
  "SGD>IDR": "11668.8",
  "SGD>USD": "0.74559",
  "SGD>AUD": "1.13561",
  "SGD>GBP": "0.58862",
  "SGD>EUR": "0.68679",
  "SGD>JPY": "111.556",
  "IDR>IDR": "1",
  "IDR>USD": "0.0000639",
  "IDR>SGD": "0.0000857",
  "IDR>AUD": "0.0000973",
  "IDR>GBP": "0.0000504",
  "IDR>EUR": "0.0000589",
  "IDR>JPY": "0.00956",
};

/** Made-up fees, Wise-shaped: a fixed part plus 0.45 % (source currency minor units). */
export const defaultFees: Readonly<Record<string, FeeSchedule>> = {
  IDR: { fixedMinorUnits: 5_000_00n, bps: 45n },
  SGD: { fixedMinorUnits: 70n, bps: 45n },
  USD: { fixedMinorUnits: 50n, bps: 45n },
};

/** Opening balances, large enough that only the magic amount runs out of money. */
export const defaultBalances: Readonly<Record<string, bigint>> = {
  IDR: 100_000_000_000_00n,
  SGD: 10_000_000_00n,
  USD: 10_000_000_00n,
};

/** The defaults as values, so tests and the adapter's sandbox config need not repeat them. */
export const simulatorDefaults = {
  apiToken: "FAKE-wise-sandbox-api-token",
  profileId: "30000001",
} as const;

/** Options with every default applied and the key parsed once, resolved in exactly one place. */
export interface ResolvedSimulatorOptions extends ResolvedBaseOptions {
  apiToken: string;
  profileId: string;
  webhookPrivateKey: KeyObject;
  newId: () => string;
  quoteTtlSeconds: number;
  rates: Readonly<Record<string, string>>;
  fees: Readonly<Record<string, FeeSchedule>>;
  partnerFeeBps: bigint;
  balances: Readonly<Record<string, bigint>>;
  notifyRetryDelaysMs: readonly number[];
  notifyTimeoutMs: number;
}

/** Applies the defaults documented on {@link RemittanceSimulatorOptions}. */
export function resolveSimulatorOptions(options: RemittanceSimulatorOptions): ResolvedSimulatorOptions {
  const key = options.webhookPrivateKey ?? loadTestKeys().webhookPrivateKey;
  return {
    ...resolveBaseOptions(options),
    apiToken: options.apiToken ?? simulatorDefaults.apiToken,
    profileId: options.profileId ?? simulatorDefaults.profileId,
    webhookPrivateKey: typeof key === "string" ? createPrivateKey(key) : key,
    newId: options.newId ?? randomUUID,
    quoteTtlSeconds: options.quoteTtlSeconds ?? 1800,
    rates: options.rates ?? defaultRates,
    fees: options.fees ?? defaultFees,
    partnerFeeBps: options.partnerFeeBps ?? 0n,
    balances: options.balances ?? defaultBalances,
    notifyRetryDelaysMs: options.notifyRetryDelaysMs ?? [1000, 5000, 30_000],
    notifyTimeoutMs: options.notifyTimeoutMs ?? 5000,
  };
}
