import type { CallbackAttempt, FaultConfig, SimRecords } from "@paymesh/sandbox-kit";
import { createSimRecords, noFaults } from "@paymesh/sandbox-kit";
import { createDisbursementStore, type DisbursementStore } from "./disbursement-store.ts";
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
  };
  return state;
}
