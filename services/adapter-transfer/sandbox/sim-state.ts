import type { CallbackAttempt, FaultConfig, SavedSimRecords, SimRecords } from "@paymesh/sandbox-kit";
import { createSimRecords, noFaults } from "@paymesh/sandbox-kit";
import {
  createDisbursementStore,
  type DisbursementStore,
  type SimDisbursement,
  type SpentKey,
} from "./disbursement-store.ts";
import type { IdempotencyMode, ResolvedSimulatorOptions } from "./options.ts";
import type { XenditErrorCode } from "./xendit-failure.ts";

/**
 * Fault injection and settings a test changes at run time with `POST /sim/config`. Faults hit every
 * API request; `failNext` answers `error_code` (Xendit's spelling, as in `POST /sim/config`).
 */
export interface SimConfig extends FaultConfig<{ count: number; error_code: XenditErrorCode }> {
  notifyUrl: string | undefined;
  /** Every callback delivery is made twice, byte-identical: at-least-once delivery on demand. */
  duplicateCallbacks: boolean;
  /**
   * Callbacks are held back and released pairwise in reverse: the next callback goes out first,
   * then the held one, as when Xendit's retry of an older callback lands after a newer one.
   */
  reorderCallbacks: boolean;
  autoCompleteMs: number | undefined;
  idempotencyMode: IdempotencyMode;
}

/** One attempt to deliver a callback. */
export interface DeliveryAttempt extends CallbackAttempt {
  disbursementId: string;
  externalId: string;
  /** The disbursement status the callback reported. */
  disbursementStatus: string;
}

/** Everything a simulator instance remembers; one per `createTransferSimulator` call. */
export interface SimState {
  readonly options: ResolvedSimulatorOptions;
  readonly disbursements: DisbursementStore;
  config: SimConfig;
  /** Requests per endpoint and callback attempts. */
  readonly records: SimRecords<DeliveryAttempt>;
  /** Forgets disbursements, spent keys, counters, deliveries and config. */
  reset(): void;
  /**
   * What a restart on the same data folder keeps: disbursements, spent idempotency keys and the
   * records. Not the config: a restart starts from its options (autoCompleteMs included), faults off.
   */
  snapshot(): SavedSimState;
  restore(saved: SavedSimState): void;
}

/** What {@link SimState.snapshot} keeps. */
export interface SavedSimState {
  disbursements: SimDisbursement[];
  spentKeys: [string, SpentKey][];
  records: SavedSimRecords<DeliveryAttempt>;
}

/** Creates a simulator's state. */
export function createSimState(options: ResolvedSimulatorOptions): SimState {
  const initialConfig = (): SimConfig => ({
    notifyUrl: options.notifyUrl,
    ...noFaults(),
    duplicateCallbacks: false,
    reorderCallbacks: false,
    autoCompleteMs: options.autoCompleteMs,
    idempotencyMode: options.idempotencyMode,
  });
  const state: SimState = {
    options,
    disbursements: createDisbursementStore(),
    config: initialConfig(),
    records: createSimRecords(),
    reset() {
      state.disbursements.clear();
      state.records.clear();
      state.config = initialConfig();
    },
    snapshot: () => ({
      disbursements: state.disbursements.list(),
      spentKeys: state.disbursements.spentKeys(),
      records: state.records.snapshot(),
    }),
    restore(saved) {
      const spent = new Map(
        saved.spentKeys.map(([value, key]) => [key.disbursementId, { value, spent: key }]),
      );
      for (const disbursement of saved.disbursements) {
        state.disbursements.add(disbursement, spent.get(disbursement.id));
      }
      state.records.restore(saved.records);
    },
  };
  return state;
}
