import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { PaymentSchema, PaymentStatus } from "@paymesh/proto";
import { open, SealedValueError, seal } from "./envelope.ts";
import type { KeyRing } from "./key-ring.ts";
import { maskedMethod, type PaymentMethod, type PaymentRecord } from "./payment-record.ts";

// What the store keeps of a payment method (docs/architecture.md §7): always the masked form, and
// the full method sealed only while the payment is PENDING, the one state in which the router may
// send it to a provider again (a caller's retry re-drives it under the same provider-side key).
// Once the provider has answered, nothing needs the full account number or name any more.

/** The record as it is stored: method masked, the full method sealed while it may be re-sent. */
export function protectMethod(keys: KeyRing, record: PaymentRecord): PaymentRecord {
  const method = maskedMethod(record.method);
  if (record.status !== PaymentStatus.PENDING) return { ...record, method, sealedMethod: undefined };
  // Sealed as a Payment holding only the method: protobuf keeps the oneof case with the value.
  const plaintext = toBinary(PaymentSchema, create(PaymentSchema, { method: record.method }));
  return { ...record, method, sealedMethod: seal(keys, plaintext, record.id) };
}

/** The record after a change: the sealed method erased once the payment has left PENDING. */
export function dropSpentMethod(record: PaymentRecord): PaymentRecord {
  return record.status === PaymentStatus.PENDING ? record : { ...record, sealedMethod: undefined };
}

/**
 * The method as the caller sent it, for a provider call. Throws a SealedValueError naming the
 * payment when nothing is kept any more or the configured keys cannot open it.
 */
export function revealMethod(keys: KeyRing, record: PaymentRecord): PaymentMethod {
  if (record.sealedMethod === undefined) {
    throw new SealedValueError(`payment ${record.id} keeps no full method: it is no longer PENDING`);
  }
  try {
    return fromBinary(PaymentSchema, open(keys, record.sealedMethod, record.id)).method;
  } catch (error) {
    if (error instanceof SealedValueError)
      throw new SealedValueError(`payment ${record.id}'s method: ${error.message}`);
    throw error;
  }
}
