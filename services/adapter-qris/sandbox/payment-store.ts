/** Where a simulated QR payment is in its life. Terminal: everything but "pending". */
export type SimPaymentState = "pending" | "paid" | "cancelled" | "expired";

/** One generated dynamic QR: the simulator's record of a real charge. */
export interface SimPayment {
  /** The simulator's `referenceNo`. */
  referenceNo: string;
  /** The partner's `partnerReferenceNo`: unique, the partner's idempotency key. */
  partnerReferenceNo: string;
  /** The X-EXTERNAL-ID of the generate request. */
  externalId: string;
  amountMinorUnits: bigint;
  currency: string;
  merchantId: string;
  storeId: string;
  terminalId: string | undefined;
  qrContent: string;
  createdAt: Date;
  validUntil: Date;
  state: SimPaymentState;
  paidAt?: Date;
  cancelledAt?: Date;
  /**
   * A status a test set with `POST /sim/status`: what query answers and notifications report from
   * then on, whatever `state` is (any 2-digit value, unknown ones included).
   */
  reported?: { latestTransactionStatus: string; transactionStatusDesc: string };
}

/** How to find a payment: SNAP query and cancel accept either reference, or both. */
export interface PaymentLookup {
  referenceNo?: string | undefined;
  partnerReferenceNo?: string | undefined;
}

/** The simulator's payments, indexed both ways. */
export interface PaymentStore {
  add(payment: SimPayment): void;
  /** The payment both given references agree on, with expiry applied; undefined if none. */
  find(lookup: PaymentLookup): SimPayment | undefined;
  hasPartnerReference(partnerReferenceNo: string): boolean;
  /** All payments, oldest first, with expiry applied. */
  list(): SimPayment[];
  clear(): void;
}

/**
 * Creates the payment store. Expiry is applied when a payment is read, against the injected clock,
 * rather than by timers: a test that moves its clock past `validUntil` sees the payment expired
 * on the next query without waiting.
 */
export function createPaymentStore(clock: () => Date): PaymentStore {
  const byReference = new Map<string, SimPayment>();
  const byPartnerReference = new Map<string, SimPayment>();

  function withExpiry(payment: SimPayment): SimPayment {
    if (payment.state === "pending" && clock().getTime() > payment.validUntil.getTime()) {
      payment.state = "expired";
    }
    return payment;
  }

  return {
    add(payment) {
      byReference.set(payment.referenceNo, payment);
      byPartnerReference.set(payment.partnerReferenceNo, payment);
    },
    find({ referenceNo, partnerReferenceNo }) {
      const a = referenceNo === undefined ? undefined : byReference.get(referenceNo);
      const b = partnerReferenceNo === undefined ? undefined : byPartnerReference.get(partnerReferenceNo);
      if (referenceNo !== undefined && partnerReferenceNo !== undefined && a !== b) return undefined;
      const found = a ?? b;
      return found === undefined ? undefined : withExpiry(found);
    },
    hasPartnerReference(partnerReferenceNo) {
      return byPartnerReference.has(partnerReferenceNo);
    },
    list() {
      return [...byReference.values()].map(withExpiry);
    },
    clear() {
      byReference.clear();
      byPartnerReference.clear();
    },
  };
}
