import type { CallbackAttempt, FaultConfig, SavedSimRecords, SimRecords } from "@paymesh/sandbox-kit";
import { createSimRecords, noFaults } from "@paymesh/sandbox-kit";
import { snapDate } from "@paymesh/snap";
import { type AccessTokens, createAccessTokens } from "./access-tokens.ts";
import type { ResolvedSimulatorOptions } from "./options.ts";
import { createPaymentStore, type PaymentStore, type SimPayment } from "./payment-store.ts";

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
  /**
   * What a restart on the same data folder keeps: payments, spent external ids and the records. Not
   * the config (a restart starts from its options, faults off) nor issued tokens (credentials stay
   * off disk; a client fetches a new one, as after `POST /sim/revoke-tokens`).
   */
  snapshot(): SavedSimState;
  restore(saved: SavedSimState): void;
}

/** What {@link SimState.snapshot} keeps. */
export interface SavedSimState {
  payments: SimPayment[];
  externalIds: string[];
  records: SavedSimRecords<DeliveryAttempt>;
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
    snapshot: () => ({
      payments: state.payments.list(),
      externalIds: [...externalIds],
      records: state.records.snapshot(),
    }),
    restore(saved) {
      for (const payment of saved.payments) state.payments.add(payment);
      for (const externalId of saved.externalIds) externalIds.add(externalId);
      state.records.restore(saved.records);
    },
  };
  return state;
}
