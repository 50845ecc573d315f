/** The VA banks the simulator issues numbers for, by Midtrans's `bank_transfer.bank` names. */
export type SimBank = "bca" | "bni" | "bri" | "permata";

/**
 * Midtrans `transaction_status` values the simulator produces. Terminal: everything but
 * "pending". (Midtrans has more — capture, refund, partial_refund, authorize, failure — which a
 * bank transfer never reaches in the simulator.)
 */
export type SimStatus = "pending" | "settlement" | "expire" | "cancel" | "deny";

/** One charge: the simulator's record of a Midtrans transaction. */
export interface SimTransaction {
  /** The merchant's order_id: unique, the merchant's idempotency key. */
  orderId: string;
  /** Midtrans's own id (a UUID). */
  transactionId: string;
  bank: SimBank;
  vaNumber: string;
  /** Whole rupiah, as `gross_amount` is sent. */
  grossAmount: bigint;
  /** `customer_details.first_name`, if given (kept for realism; never echoed in answers). */
  customerName: string | undefined;
  createdAt: Date;
  expiresAt: Date;
  status: SimStatus;
  /** When the status last changed: settlement_time for a settled one. */
  statusChangedAt: Date;
  /** From `X-Override-Notification`: where this transaction's notifications go instead of the dashboard URL. */
  notifyUrls: readonly string[] | undefined;
  /**
   * What a test set with `POST /sim/status`: the status answers and notifications report from
   * then on, whatever `status` is (any word, unknown ones included).
   */
  reported?: ReportedStatus;
}

/** A reported Midtrans status, set by a test. */
export interface ReportedStatus {
  transaction_status: string;
  status_code: string;
  fraud_status: string;
}

/** The simulator's transactions by order_id and by transaction_id. */
export interface TransactionStore {
  add(transaction: SimTransaction): void;
  /** By order_id or transaction_id (the status and cancel APIs accept either), with expiry applied. */
  find(id: string): SimTransaction | undefined;
  has(orderId: string): boolean;
  /** All transactions, oldest first, with expiry applied. */
  list(): SimTransaction[];
  /** All transactions as they are, expiry not applied: what a state file keeps, without side effects. */
  stored(): SimTransaction[];
  clear(): void;
}

/**
 * Creates the store. Expiry is applied when a transaction is read, against the injected clock,
 * rather than by timers: a test that moves its clock past `expiresAt` sees `expire` on the next
 * status call without waiting. `onExpire` hears about each such change (the notifier sends the
 * expire notification Midtrans would send).
 */
export function createTransactionStore(
  clock: () => Date,
  onExpire: (transaction: SimTransaction) => void,
): TransactionStore {
  const byOrderId = new Map<string, SimTransaction>();
  const byTransactionId = new Map<string, SimTransaction>();

  function withExpiry(transaction: SimTransaction): SimTransaction {
    if (transaction.status === "pending" && clock().getTime() >= transaction.expiresAt.getTime()) {
      transaction.status = "expire";
      transaction.statusChangedAt = transaction.expiresAt;
      onExpire(transaction);
    }
    return transaction;
  }

  return {
    add(transaction) {
      byOrderId.set(transaction.orderId, transaction);
      byTransactionId.set(transaction.transactionId, transaction);
    },
    find(id) {
      const found = byOrderId.get(id) ?? byTransactionId.get(id);
      return found === undefined ? undefined : withExpiry(found);
    },
    has: (orderId) => byOrderId.has(orderId),
    list: () => [...byOrderId.values()].map(withExpiry),
    stored: () => [...byOrderId.values()],
    clear() {
      byOrderId.clear();
      byTransactionId.clear();
    },
  };
}
