import { timestampDate } from "@bufbuild/protobuf/wkt";
import { invalidField, missingField } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason, VirtualAccountBank } from "@paymesh/proto";
import { formatOrderTime } from "./midtrans-time.ts";
import type { ChargeRequest, MidtransBank } from "./midtrans-wire.ts";

/** Paymesh's VA banks ↔ Midtrans's `bank_transfer.bank` names. */
export const MIDTRANS_BANKS: ReadonlyMap<VirtualAccountBank, MidtransBank> = new Map([
  [VirtualAccountBank.BCA, "bca"],
  [VirtualAccountBank.BNI, "bni"],
  [VirtualAccountBank.BRI, "bri"],
  [VirtualAccountBank.PERMATA, "permata"],
]);

/** Custom VA number lengths per bank (PROVIDERS.md, "Midtrans Core API"). */
const CUSTOM_VA_LENGTHS: Readonly<Record<MidtransBank, readonly number[]>> = {
  bca: [6, 7, 8, 9, 10, 11],
  bni: [8, 12],
  bri: [18],
  permata: [10],
};
// Midtrans order_id: up to 50 letters, digits, dash, underscore, tilde or dot. Paymesh ids fit.
const ORDER_ID = /^[A-Za-z0-9\-_~.]{1,50}$/;
// Permata shows recipient_name on the payer's ATM; 20 characters is an *unconfirmed* limit.
const PERMATA_NAME_MAX = 20;

/**
 * Validates a CreatePayment against Midtrans's rules and builds the charge, so bad input is
 * INVALID_ARGUMENT naming the Paymesh field before anything is sent. The order_id is the payment
 * id itself: Midtrans's duplicate-order_id refusal is then the provider-side idempotency key.
 */
export function buildChargeRequest(request: adapterv1.CreatePaymentRequest, now: Date): ChargeRequest {
  if (request.method.case !== "virtualAccount") {
    throw invalidField(
      "method",
      "this adapter serves virtual account payments only",
      ErrorReason.METHOD_NOT_SUPPORTED,
    );
  }
  const method = request.method.value;
  if (method.bank === VirtualAccountBank.UNSPECIFIED) throw missingField("virtual_account.bank");
  const bank = MIDTRANS_BANKS.get(method.bank);
  if (bank === undefined) {
    throw invalidField(
      "virtual_account.bank",
      `bank ${method.bank} is not supported`,
      ErrorReason.BANK_NOT_SUPPORTED,
    );
  }
  if (!ORDER_ID.test(request.paymentId)) {
    throw invalidField(
      "payment_id",
      "must be 1–50 letters, digits, '-', '_', '~' or '.' (Midtrans order_id)",
    );
  }
  const minorUnits = request.amount?.minorUnits ?? 0n;
  // IDR has exponent 2, but Midtrans takes whole rupiah: cents cannot be charged, only lost.
  if (minorUnits % 100n !== 0n) {
    throw invalidField("amount.minor_units", "Midtrans charges whole rupiah; the amount has non-zero cents");
  }
  // JSON numbers are doubles: refuse, rather than round, what a double cannot hold exactly.
  if (minorUnits <= 0n || minorUnits / 100n > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw invalidField(
      "amount.minor_units",
      "must be a positive amount Midtrans can carry",
      ErrorReason.AMOUNT_OUT_OF_RANGE,
    );
  }
  const customVa = method.customVaNumber;
  const lengths = CUSTOM_VA_LENGTHS[bank];
  if (customVa !== "" && (!/^\d+$/.test(customVa) || !lengths.includes(customVa.length))) {
    throw invalidField(
      "virtual_account.custom_va_number",
      `must be ${describeLengths(lengths)} digits for ${bank.toUpperCase()}`,
    );
  }
  const name = method.customerName.trim();
  if (name.length > (bank === "permata" ? PERMATA_NAME_MAX : 255)) {
    throw invalidField(
      "virtual_account.customer_name",
      `must be at most ${bank === "permata" ? PERMATA_NAME_MAX : 255} characters for ${bank.toUpperCase()}`,
    );
  }
  const charge: ChargeRequest = {
    payment_type: "bank_transfer",
    transaction_details: { order_id: request.paymentId, gross_amount: Number(minorUnits / 100n) },
    bank_transfer: {
      bank,
      ...(customVa === "" ? {} : { va_number: customVa }),
      ...(bank === "permata" && name !== "" ? { permata: { recipient_name: name.toUpperCase() } } : {}),
    },
    ...(name === "" ? {} : { customer_details: { first_name: name } }),
  };
  if (request.expiresAt !== undefined)
    charge.custom_expiry = customExpiry(timestampDate(request.expiresAt), now);
  return charge;
}

/**
 * `custom_expiry` ending exactly at `expiresAt` (to the second): whole minutes, counted from an
 * order_time set back by the rounding. Minutes are a unit Midtrans documents; that it accepts an
 * order_time slightly in the past is *unconfirmed* (without custom_expiry the default is 24 h).
 */
function customExpiry(expiresAt: Date, now: Date): NonNullable<ChargeRequest["custom_expiry"]> {
  const end = Math.floor(expiresAt.getTime() / 1000) * 1000;
  if (end <= now.getTime()) throw invalidField("expires_at", "must be in the future");
  const minutes = Math.ceil((end - now.getTime()) / 60_000);
  return {
    order_time: formatOrderTime(new Date(end - minutes * 60_000)),
    expiry_duration: minutes,
    unit: "minute",
  };
}

function describeLengths(lengths: readonly number[]): string {
  const first = lengths[0] ?? 0;
  const last = lengths[lengths.length - 1] ?? 0;
  const contiguous = lengths.length > 2 && last - first === lengths.length - 1;
  return contiguous ? `${first}–${last}` : lengths.join(" or ");
}
