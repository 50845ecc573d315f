import { createPrivateKey, createPublicKey, type KeyObject, randomUUID } from "node:crypto";
import {
  type BaseSimulatorOptions,
  type ResolvedBaseOptions,
  resolveBaseOptions,
} from "@paymesh/sandbox-kit";
import type { KeyLike } from "@paymesh/snap";
import { loadTestKeys } from "./test-keys.ts";

/** The merchant whose static QRIS sticker the simulator stamps amounts onto. */
export interface SimulatorMerchant {
  /** Tag 59. @default "PAYMESH TEST MERCHANT" */
  name: string;
  /** Tag 60. @default "JAKARTA" */
  city: string;
  /** Tag 61. @default "10110" */
  postalCode: string;
  /** Tag 51 sub-tag 02: `ID` + 13 digits. @default "ID1020000000001" */
  nmid: string;
  /** Tag 26 sub-tag 01: 18 digits, NNS `9360xxxx` + 10. @default "936099990000000001" */
  pan: string;
  /** Tag 26 sub-tag 02 and the SNAP `merchantId` requests must carry. @default "PAYMESHSIM0001" */
  merchantId: string;
  /** Tag 52. @default "5499" */
  mcc: string;
  /** Tags 26/51 sub-tag 03. @default "UMI" */
  criteria: string;
  /** Echoed as `storeId` when a request names none. @default "PAYMESHSTORE01" */
  storeId: string;
}

/**
 * Everything a simulator can be told at start; every field has a default for a local run.
 * `notifyUrl` is where payment notifications go.
 */
export interface QrisSimulatorOptions extends BaseSimulatorOptions {
  /** `X-CLIENT-KEY` the partner must send. @default "paymesh-test-client" */
  clientId?: string;
  /** HMAC key of transaction signatures. @default "FAKE-test-client-secret" */
  clientSecret?: string;
  /** `X-PARTNER-ID` the partner must send. @default "PAYMESHTEST01" */
  partnerId?: string;
  /** `CHANNEL-ID` the partner must send. @default "95221" */
  channelId?: string;
  /** Verifies access-token signatures. @default loadTestKeys().partnerPublicKey */
  partnerPublicKey?: KeyLike;
  /** Signs notifications. @default loadTestKeys().bankPrivateKey */
  bankPrivateKey?: KeyLike;
  merchant?: Partial<SimulatorMerchant>;
  /** Ids for referenceNo and notification X-EXTERNAL-IDs. @default random 32 hex characters */
  newId?: () => string;
  /** @default 900 (docs/providers.md: `expiresIn` "900") */
  accessTokenTtlSeconds?: number;
  /** Allowed X-TIMESTAMP skew against the clock. @default 300 */
  timestampToleranceSeconds?: number;
  /** Validity of a QR whose request has no `validityPeriod`. @default 1800 */
  defaultValiditySeconds?: number;
  /** Waits before each notification retry; its length is the retry count. @default [1000, 5000, 30000] */
  notifyRetryDelaysMs?: readonly number[];
  /** @default 5000 */
  notifyTimeoutMs?: number;
}

/** The defaults as values, so tests and the adapter's local config can point at a simulator without repeating them. */
export const simulatorDefaults = {
  clientId: "paymesh-test-client",
  clientSecret: "FAKE-test-client-secret",
  partnerId: "PAYMESHTEST01",
  channelId: "95221",
  merchant: {
    name: "PAYMESH TEST MERCHANT",
    city: "JAKARTA",
    postalCode: "10110",
    nmid: "ID1020000000001",
    pan: "936099990000000001",
    merchantId: "PAYMESHSIM0001",
    mcc: "5499",
    criteria: "UMI",
    storeId: "PAYMESHSTORE01",
  },
} as const satisfies Partial<Record<keyof QrisSimulatorOptions, unknown>>;

/** Options with every default applied and keys parsed once, resolved in exactly one place. */
export interface ResolvedSimulatorOptions extends ResolvedBaseOptions {
  clientId: string;
  clientSecret: string;
  partnerId: string;
  channelId: string;
  partnerPublicKey: KeyObject;
  bankPrivateKey: KeyObject;
  merchant: SimulatorMerchant;
  newId: () => string;
  accessTokenTtlSeconds: number;
  timestampToleranceSeconds: number;
  defaultValiditySeconds: number;
  notifyRetryDelaysMs: readonly number[];
  notifyTimeoutMs: number;
}

function toPublicKey(key: KeyLike): KeyObject {
  return typeof key === "string" ? createPublicKey(key) : key;
}

function toPrivateKey(key: KeyLike): KeyObject {
  return typeof key === "string" ? createPrivateKey(key) : key;
}

/** Applies the defaults documented on {@link QrisSimulatorOptions}. */
export function resolveSimulatorOptions(options: QrisSimulatorOptions): ResolvedSimulatorOptions {
  const keys = options.partnerPublicKey && options.bankPrivateKey ? undefined : loadTestKeys();
  return {
    ...resolveBaseOptions(options),
    clientId: options.clientId ?? simulatorDefaults.clientId,
    clientSecret: options.clientSecret ?? simulatorDefaults.clientSecret,
    partnerId: options.partnerId ?? simulatorDefaults.partnerId,
    channelId: options.channelId ?? simulatorDefaults.channelId,
    partnerPublicKey: toPublicKey(options.partnerPublicKey ?? keys?.partnerPublicKey ?? ""),
    bankPrivateKey: toPrivateKey(options.bankPrivateKey ?? keys?.bankPrivateKey ?? ""),
    merchant: { ...simulatorDefaults.merchant, ...options.merchant },
    newId: options.newId ?? (() => randomUUID().replaceAll("-", "")),
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 900,
    timestampToleranceSeconds: options.timestampToleranceSeconds ?? 300,
    defaultValiditySeconds: options.defaultValiditySeconds ?? 1800,
    notifyRetryDelaysMs: options.notifyRetryDelaysMs ?? [1000, 5000, 30_000],
    notifyTimeoutMs: options.notifyTimeoutMs ?? 5000,
  };
}
