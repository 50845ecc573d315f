import { randomBytes } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import {
  BankTransferMethodSchema,
  CustomerActionSchema,
  ErrorReason,
  PaymentFailureSchema,
  PaymentStatus,
  QrisActionSchema,
  QrisMethodSchema,
  RemittanceMethodSchema,
  RemittanceRecipientSchema,
  VirtualAccountBank,
  VirtualAccountMethodSchema,
} from "@paymesh/proto";
import type { PaymentMethod, PaymentRecord } from "../payment-record.ts";

/**
 * Builds payments unique to one contract run. Durable stores share a database between runs and
 * tests, so every test works under callers and ids no other test uses, and ids sort in the order
 * they were made, as the router's ids do.
 */
export interface PaymentFixtures {
  /** A caller no other test uses. */
  caller(): string;
  /** A PENDING QRIS payment for `overrides.caller` (or a fresh caller), with a fresh id and key. */
  payment(overrides?: Partial<PaymentRecord>): PaymentRecord;
}

/** A fresh set of fixtures; the run prefix keeps parallel runs against one database apart. */
export function createPaymentFixtures(): PaymentFixtures {
  const run = randomBytes(6).toString("hex");
  let sequence = 0;
  const next = () => String(++sequence).padStart(6, "0");
  const caller = () => `caller-${run}-${next()}`;
  return {
    caller,
    payment(overrides = {}) {
      const n = next();
      const now = new Date();
      return {
        id: `pay_${run}_${n}`,
        caller: overrides.caller ?? caller(),
        idempotencyKey: `key-${n}`,
        fingerprint: `fingerprint-${n}`,
        amount: { currency: "IDR", minorUnits: 25_000n },
        method: { case: "qris", value: create(QrisMethodSchema, { terminalLabel: "kasir-1" }) },
        merchantReference: `order-${n}`,
        description: "contract test",
        metadata: { order: n },
        status: PaymentStatus.PENDING,
        adapter: "",
        providerReference: "",
        customerAction: undefined,
        failure: undefined,
        outcomeUnknown: false,
        resolution: undefined,
        review: undefined,
        createdAt: now,
        updatedAt: now,
        expiresAt: undefined,
        version: 1,
        ...overrides,
      };
    },
  };
}

/** One method of each kind, every field set, to prove each survives the round trip. */
export const EVERY_METHOD: readonly PaymentMethod[] = [
  { case: "qris", value: create(QrisMethodSchema, { terminalLabel: "kasir-2" }) },
  {
    case: "virtualAccount",
    value: create(VirtualAccountMethodSchema, {
      bank: VirtualAccountBank.BNI,
      customerName: "Siti Rahma",
      customVaNumber: "8808123456",
    }),
  },
  {
    case: "bankTransfer",
    value: create(BankTransferMethodSchema, {
      bankCode: "014",
      accountNumber: "1234567890",
      accountHolderName: "Budi Santoso",
    }),
  },
  {
    case: "remittance",
    value: create(RemittanceMethodSchema, {
      quoteId: "quote-1",
      reference: "family support",
      recipient: create(RemittanceRecipientSchema, {
        currency: "PHP",
        type: "bank_account",
        accountHolderName: "Maria Santos",
        details: { bank_code: "BDO", account_number: "0099887766" },
      }),
    }),
  },
];

/** A customer action and a failure with every field set. */
export const QR_ACTION = create(CustomerActionSchema, {
  action: { case: "qris", value: create(QrisActionSchema, { qrString: "00020101021226..." }) },
});

/** A failure as a refusing provider leaves it. */
export const DECLINED = create(PaymentFailureSchema, {
  reason: ErrorReason.INSUFFICIENT_FUNDS,
  message: "insufficient funds",
  providerCode: "51",
});
