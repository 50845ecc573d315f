import type { CallbackAttempt, FaultConfig, SavedSimRecords, SimRecords } from "@paymesh/sandbox-kit";
import { createSimRecords, noFaults } from "@paymesh/sandbox-kit";
import type { ResolvedSimulatorOptions } from "./options.ts";
import type { FeeParts } from "./pricing.ts";
import type { TransferFate, TransferState } from "./transfer-states.ts";

/** One of a quote's `paymentOptions`. */
export interface SimPaymentOption {
  payIn: "BALANCE" | "BANK_TRANSFER";
  sourceMinorUnits: bigint;
  targetMinorUnits: bigint;
  fee: FeeParts;
}

/** A quote as the simulator keeps it. `status` is stored; EXPIRED is derived on read (quoteStatus). */
export interface SimQuote {
  id: string;
  profileId: string;
  sourceCurrency: string;
  targetCurrency: string;
  providedAmountType: "SOURCE" | "TARGET";
  rate: string;
  createdAt: Date;
  rateExpiresAt: Date;
  /** Set by `POST /sim/expire-quote`. */
  forcedExpired: boolean;
  status: "PENDING" | "ACCEPTED" | "FUNDED";
  paymentOptions: SimPaymentOption[];
}

/** A recipient account (`POST /v1/accounts`). */
export interface SimRecipient {
  id: number;
  profileId: string;
  currency: string;
  type: string;
  accountHolderName: string;
  country: string;
  details: Record<string, string>;
}

/** One state change of a transfer, reported by webhook (changeWebhookBody in webhook-event.ts). */
export interface SimStateChange {
  state: TransferState;
  previousState: TransferState | null;
  occurredAt: Date;
}

/** A transfer: the simulator's record of a real payout. */
export interface SimTransfer {
  id: number;
  profileId: string;
  targetAccount: number;
  quoteUuid: string;
  customerTransactionId: string;
  reference: string;
  rate: string;
  sourceCurrency: string;
  sourceMinorUnits: bigint;
  targetCurrency: string;
  targetMinorUnits: bigint;
  feeMinorUnits: bigint;
  createdAt: Date;
  state: TransferState;
  /** Where `/sim/advance {"to":"complete"}` takes it, chosen by the recipient's account number. */
  fate: TransferFate;
  changes: SimStateChange[];
  fundedAt?: Date;
}

/** One line of a balance statement. */
export interface SimStatementEntry {
  currency: string;
  type: "DEBIT" | "CREDIT";
  at: Date;
  /** Signed: negative for a debit. */
  amountMinorUnits: bigint;
  feeMinorUnits: bigint;
  transferId: number;
  description: string;
}

/**
 * Fault injection and delivery settings a test changes at run time with `POST /sim/config`. Faults hit
 * every API request; `failNext` hits only requests of its `endpoint`, when given.
 */
export interface SimConfig
  extends FaultConfig<{ count: number; status: number; code: string; endpoint: string | undefined }> {
  notifyUrl: string | undefined;
  /** Every webhook is delivered twice (at-least-once delivery). */
  duplicateCallbacks: boolean;
  /** The webhooks of one action are delivered newest first (out-of-order delivery). */
  reorderCallbacks: boolean;
  /**
   * The next funding answers 200 with this status (e.g. one Wise has not documented) and funds
   * nothing; used once, then cleared.
   */
  fundingStatus: string | undefined;
}

/** One attempt to deliver a webhook. */
export interface DeliveryAttempt extends CallbackAttempt {
  transferId: number;
  state: string;
}

/** Everything a simulator instance remembers; one per `createRemittanceSimulator` call. */
export interface SimState {
  readonly options: ResolvedSimulatorOptions;
  readonly quotes: Map<string, SimQuote>;
  readonly recipients: Map<number, SimRecipient>;
  readonly transfers: Map<number, SimTransfer>;
  readonly transfersByCustomerId: Map<string, SimTransfer>;
  /** Balance per currency in minor units; the balance id is stable per currency. */
  readonly balances: Map<string, { id: number; minorUnits: bigint }>;
  readonly statement: SimStatementEntry[];
  /** customerTransactionIds whose "timeout after creating" magic has fired already. */
  readonly timedOut: Set<string>;
  /** Requests per endpoint and webhook attempts. */
  readonly records: SimRecords<DeliveryAttempt>;
  readonly stats: { fundings: number; quotes: number };
  /** The webhook subscription's id; kept across restarts, as a real subscription's is. */
  subscriptionId: string;
  config: SimConfig;
  nextRecipientId(): number;
  nextTransferId(): number;
  reset(): void;
  /**
   * What a restart on the same data folder keeps: quotes, recipients, transfers with their changes,
   * balances and statement, the id sequences, the subscription and the records. Not the config: a
   * restart starts from its options, faults off.
   */
  snapshot(): SavedSimState;
  restore(saved: SavedSimState): void;
}

/** What {@link SimState.snapshot} keeps. */
export interface SavedSimState {
  quotes: SimQuote[];
  recipients: SimRecipient[];
  transfers: SimTransfer[];
  balances: [string, { id: number; minorUnits: bigint }][];
  statement: SimStatementEntry[];
  timedOut: string[];
  stats: { fundings: number; quotes: number };
  subscriptionId: string;
  lastIds: { recipient: number; transfer: number };
  records: SavedSimRecords<DeliveryAttempt>;
}

/** Creates a simulator's state with the opening balances. */
export function createSimState(options: ResolvedSimulatorOptions): SimState {
  let recipientSeq = 40_000_000;
  let transferSeq = 50_000_000;
  const initialConfig = (): SimConfig => ({
    notifyUrl: options.notifyUrl,
    ...noFaults(),
    duplicateCallbacks: false,
    reorderCallbacks: false,
    fundingStatus: undefined,
  });
  const openBalances = (): void => {
    state.balances.clear();
    Object.entries(options.balances).forEach(([currency, minorUnits], index) => {
      state.balances.set(currency, { id: 60_000_001 + index, minorUnits });
    });
  };
  const state: SimState = {
    options,
    quotes: new Map(),
    recipients: new Map(),
    transfers: new Map(),
    transfersByCustomerId: new Map(),
    balances: new Map(),
    statement: [],
    timedOut: new Set(),
    records: createSimRecords(),
    stats: { fundings: 0, quotes: 0 },
    subscriptionId: options.newId(),
    config: initialConfig(),
    nextRecipientId: () => ++recipientSeq,
    nextTransferId: () => ++transferSeq,
    reset() {
      for (const map of [state.quotes, state.recipients, state.transfers, state.transfersByCustomerId]) {
        map.clear();
      }
      state.statement.length = 0;
      state.timedOut.clear();
      state.records.clear();
      Object.assign(state.stats, { fundings: 0, quotes: 0 });
      state.config = initialConfig();
      openBalances();
    },
    snapshot: () => ({
      quotes: [...state.quotes.values()],
      recipients: [...state.recipients.values()],
      transfers: [...state.transfers.values()],
      balances: [...state.balances],
      statement: state.statement,
      timedOut: [...state.timedOut],
      stats: state.stats,
      subscriptionId: state.subscriptionId,
      lastIds: { recipient: recipientSeq, transfer: transferSeq },
      records: state.records.snapshot(),
    }),
    restore(saved) {
      for (const quote of saved.quotes) state.quotes.set(quote.id, quote);
      for (const recipient of saved.recipients) state.recipients.set(recipient.id, recipient);
      for (const transfer of saved.transfers) {
        state.transfers.set(transfer.id, transfer);
        state.transfersByCustomerId.set(transfer.customerTransactionId, transfer);
      }
      state.balances.clear();
      for (const [currency, balance] of saved.balances) state.balances.set(currency, balance);
      state.statement.push(...saved.statement);
      for (const id of saved.timedOut) state.timedOut.add(id);
      Object.assign(state.stats, saved.stats);
      state.subscriptionId = saved.subscriptionId;
      recipientSeq = saved.lastIds.recipient;
      transferSeq = saved.lastIds.transfer;
      state.records.restore(saved.records);
    },
  };
  openBalances();
  return state;
}

/** A quote's status now: a PENDING quote past its rate lock (or force-expired) is EXPIRED. */
export function quoteStatus(quote: SimQuote, now: Date): SimQuote["status"] | "EXPIRED" {
  if (quote.status !== "PENDING") return quote.status;
  return quote.forcedExpired || now.getTime() >= quote.rateExpiresAt.getTime() ? "EXPIRED" : "PENDING";
}
