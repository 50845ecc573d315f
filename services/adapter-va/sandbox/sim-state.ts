import type { CallbackAttempt, FaultConfig, SavedSimRecords, SimRecords } from "@paymesh/sandbox-kit";
import { createSimRecords, noFaults } from "@paymesh/sandbox-kit";
import type { ResolvedSimulatorOptions } from "./options.ts";
import { createTransactionStore, type SimTransaction, type TransactionStore } from "./transaction-store.ts";

/**
 * Fault injection and settings a test changes at run time with `POST /sim/config`. Faults hit API
 * requests (charge, status, cancel), not the settlement report. `failNext` answers its `status_code`;
 * `httpStatus` overrides the HTTP status that carries it (e.g. 200, to mimic Midtrans's 200-wrapped
 * errors).
 */
export interface SimConfig extends FaultConfig<{ count: number; statusCode: string; httpStatus?: number }> {
  /** The dashboard's Payment Notification URL. */
  notifyUrl: string | undefined;
  /** Every notification is delivered twice, back to back. */
  duplicateCallbacks: boolean;
  /** Each notification is held until the next one of the same order, then sent after it. */
  reorderCallbacks: boolean;
}

/** One attempt to deliver a notification. */
export interface DeliveryAttempt extends CallbackAttempt {
  orderId: string;
  transactionStatus: string;
}

/** Everything a simulator instance remembers; one per `createVaSimulator` call. */
export interface SimState {
  readonly options: ResolvedSimulatorOptions;
  readonly transactions: TransactionStore;
  config: SimConfig;
  /** Requests per endpoint (charge, status, cancel, settlements) and notification attempts. */
  readonly records: SimRecords<DeliveryAttempt>;
  /** Forgets transactions, counters, deliveries and config. */
  reset(): void;
  /**
   * What a restart on the same data folder keeps: transactions (with their override notification
   * URLs) and the records. Not the config: a restart starts from its options, faults off.
   */
  snapshot(): SavedSimState;
  restore(saved: SavedSimState): void;
}

/** What {@link SimState.snapshot} keeps. */
export interface SavedSimState {
  transactions: SimTransaction[];
  records: SavedSimRecords<DeliveryAttempt>;
}

/** Creates a simulator's state; `onExpire` is told when a pending transaction expires. */
export function createSimState(
  options: ResolvedSimulatorOptions,
  onExpire: (transaction: SimTransaction) => void,
): SimState {
  const initialConfig = (): SimConfig => ({
    notifyUrl: options.notifyUrl,
    ...noFaults(),
    duplicateCallbacks: false,
    reorderCallbacks: false,
  });
  const state: SimState = {
    options,
    transactions: createTransactionStore(options.clock, onExpire),
    config: initialConfig(),
    records: createSimRecords(),
    reset() {
      state.transactions.clear();
      state.records.clear();
      state.config = initialConfig();
    },
    snapshot: () => ({ transactions: state.transactions.stored(), records: state.records.snapshot() }),
    restore(saved) {
      for (const transaction of saved.transactions) state.transactions.add(transaction);
      state.records.restore(saved.records);
    },
  };
  return state;
}
