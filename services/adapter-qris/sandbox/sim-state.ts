import type { CallbackAttempt, FaultConfig, SimRecords } from "@paymesh/sandbox-kit";
import { createSimRecords, noFaults } from "@paymesh/sandbox-kit";
import { snapDate } from "@paymesh/snap";
import { type AccessTokens, createAccessTokens } from "./access-tokens.ts";
import type { ResolvedSimulatorOptions } from "./options.ts";
import { createPaymentStore, type PaymentStore } from "./payment-store.ts";

/**
 * Fault injection and settings a test changes at run time with `POST /sim/config`. Faults hit
 * transaction requests only; `failNext` answers its SNAP `responseCode` without processing them.
 */
export interface SimConfig extends FaultConfig<{ count: number; responseCode: string }> {
  notifyUrl: string | undefined;
}

/** One attempt to deliver a notification. */
export interface DeliveryAttempt extends CallbackAttempt {
  referenceNo: string;
  partnerReferenceNo: string;
}

/** Everything a simulator instance remembers; one per `createQrisSimulator` call. */
export interface SimState {
  readonly options: ResolvedSimulatorOptions;
  readonly payments: PaymentStore;
  readonly tokens: AccessTokens;
  config: SimConfig;
  /** Requests per endpoint and notification attempts. */
  readonly records: SimRecords<DeliveryAttempt>;
  /** False when the X-EXTERNAL-ID was already used today (SNAP scopes it to the day, in +07:00). */
  claimExternalId(externalId: string): boolean;
  /** Forgets payments, external ids, counters, deliveries and config; keeps issued tokens. */
  reset(): void;
}

/** Creates a simulator's state. */
export function createSimState(options: ResolvedSimulatorOptions): SimState {
  const externalIds = new Set<string>();
  const initialConfig = (): SimConfig => ({ notifyUrl: options.notifyUrl, ...noFaults() });
  const state: SimState = {
    options,
    payments: createPaymentStore(options.clock),
    tokens: createAccessTokens({ clock: options.clock, ttlSeconds: options.accessTokenTtlSeconds }),
    config: initialConfig(),
    records: createSimRecords(),
    claimExternalId(externalId) {
      const key = `${snapDate(options.clock())}|${externalId}`;
      if (externalIds.has(key)) return false;
      externalIds.add(key);
      return true;
    },
    reset() {
      state.payments.clear();
      externalIds.clear();
      state.records.clear();
      state.config = initialConfig();
    },
  };
  return state;
}
