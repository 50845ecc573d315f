import { failures } from "./midtrans-failure.ts";
import type { SimBank } from "./transaction-store.ts";
import { parseWibDateTime } from "./wib-time.ts";

/** A valid `bank_transfer` charge, read from its JSON body. */
export interface ChargeInput {
  orderId: string;
  grossAmount: bigint;
  bank: SimBank;
  customVaNumber: string | undefined;
  customerName: string | undefined;
  /** Start and length of validity from `custom_expiry`, when given. */
  customExpiry: { orderTime: Date | undefined; seconds: number } | undefined;
}

type Json = Record<string, unknown>;

/** Custom VA number lengths per bank (docs/providers.md, "Midtrans Core API"). */
export const CUSTOM_VA_LENGTHS: Readonly<Record<SimBank, readonly number[]>> = {
  bca: [6, 7, 8, 9, 10, 11],
  bni: [8, 12],
  bri: [18],
  permata: [10],
};
const UNIT_SECONDS: Readonly<Record<string, number>> = { second: 1, minute: 60, hour: 3600, day: 86_400 };
// Midtrans: up to 50 characters; letters, digits, dash, underscore, tilde and dot.
const ORDER_ID = /^[A-Za-z0-9\-_~.]{1,50}$/;

function object(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/**
 * Validates a charge body the way Midtrans does: all problems at once, each a
 * `validation_messages` entry naming the Midtrans field, in one 400 answer.
 */
export function readCharge(raw: Buffer): ChargeInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    throw failures.validation(["Request body is not a valid JSON"]);
  }
  const body = object(parsed) ?? {};
  const problems: string[] = [];
  const details = object(body.transaction_details) ?? {};
  const transfer = object(body.bank_transfer) ?? {};

  if (body.payment_type !== "bank_transfer") problems.push("payment_type must be bank_transfer");
  const orderId = typeof details.order_id === "string" ? details.order_id : "";
  if (!ORDER_ID.test(orderId)) problems.push("transaction_details.order_id is invalid");
  const amount = details.gross_amount;
  // Whole rupiah only: IDR has no cents at Midtrans (unconfirmed whether strings are accepted too).
  const grossAmount =
    typeof amount === "number" && Number.isSafeInteger(amount) && amount > 0 ? BigInt(amount) : 0n;
  if (grossAmount === 0n) problems.push("transaction_details.gross_amount must be a positive integer");
  const bank = transfer.bank;
  const knownBank = bank === "bca" || bank === "bni" || bank === "bri" || bank === "permata";
  if (!knownBank) problems.push("bank_transfer.bank must be one of bca, bni, bri, permata");

  let customVaNumber: string | undefined;
  if (transfer.va_number !== undefined && transfer.va_number !== "") {
    const value = transfer.va_number;
    const lengths = knownBank ? CUSTOM_VA_LENGTHS[bank] : [];
    if (typeof value !== "string" || !/^\d+$/.test(value) || !lengths.includes(value.length)) {
      problems.push(`bank_transfer.va_number must be ${lengths.join(" or ")} digits for ${String(bank)}`);
    } else customVaNumber = value;
  }
  const customer = object(body.customer_details);
  const firstName = customer?.first_name;
  const recipient = object(transfer.permata)?.recipient_name;
  // Shown on the payer's ATM screen; 20 characters is the simulator's *unconfirmed* Permata limit.
  if (recipient !== undefined && (typeof recipient !== "string" || recipient.length > 20)) {
    problems.push("bank_transfer.permata.recipient_name must be at most 20 characters");
  }
  const customExpiry = readExpiry(body.custom_expiry, problems);
  if (problems.length > 0) throw failures.validation(problems);
  return {
    orderId,
    grossAmount,
    bank: bank as SimBank,
    customVaNumber,
    customerName: typeof firstName === "string" ? firstName : undefined,
    customExpiry,
  };
}

function readExpiry(value: unknown, problems: string[]): ChargeInput["customExpiry"] {
  if (value === undefined) return undefined;
  const expiry = object(value) ?? {};
  const duration = expiry.expiry_duration;
  const unit = typeof expiry.unit === "string" ? UNIT_SECONDS[expiry.unit] : undefined;
  const orderTime = typeof expiry.order_time === "string" ? parseWibDateTime(expiry.order_time) : undefined;
  if (typeof duration !== "number" || !Number.isSafeInteger(duration) || duration < 1) {
    problems.push("custom_expiry.expiry_duration must be a positive integer");
  }
  if (unit === undefined) problems.push("custom_expiry.unit must be one of second, minute, hour, day");
  if (expiry.order_time !== undefined && orderTime === undefined) {
    problems.push("custom_expiry.order_time must be yyyy-MM-dd HH:mm:ss Z");
  }
  if (typeof duration !== "number" || unit === undefined) return undefined;
  return { orderTime, seconds: duration * unit };
}
