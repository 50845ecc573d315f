// The provider's wire shapes: the bodies the adapter sends and readers for the answers it gets.
// Types and pure functions only; the client does the I/O.
import { formatMinorUnits, isRecord, type JsonRecord, parseDecimalAmount } from "@paymesh/adapter-kit";
import { type adapterv1, VirtualAccountBank } from "@paymesh/proto";

/** The provider's bank codes for the banks Paymesh names; a bank missing here is not served. */
export const BANK_CODES: Readonly<Partial<Record<VirtualAccountBank, string>>> = {
  [VirtualAccountBank.BCA]: "bca",
  [VirtualAccountBank.BNI]: "bni",
  [VirtualAccountBank.BRI]: "bri",
  [VirtualAccountBank.PERMATA]: "permata",
};

/** An amount on the wire: a decimal string at the currency's exponent, e.g. "150000.00" IDR. */
export interface WireAmount {
  value: string;
  currency: string;
}

/** The body of `POST /v1/payments`. */
export interface CreatePaymentBody {
  /** The payment id: the provider keeps one payment per reference. */
  reference: string;
  amount: WireAmount;
  bank: string;
  customer_name?: string;
  description?: string;
}

/** A payment as the provider answers it, its amount read exactly into minor units. */
export interface WirePayment {
  id: string;
  reference: string;
  status: string;
  amount: { currency: string; minorUnits: bigint };
  bank: string;
  vaNumber: string | undefined;
}

/** The provider's error body, `{"error": {"code", "message", "field"?}}`. */
export interface WireError {
  code: string;
  message: string;
  /** The provider's name of the request field at fault, for `invalid_field`. */
  field: string | undefined;
}

/** A notification, `{"id", "type", "created_at", "data": <payment>}`. */
export interface WireNotification {
  id: string;
  type: string;
  createdAt: string | undefined;
  payment: WirePayment;
}

/** The provider's request for a Paymesh CreatePayment the adapter has checked. */
export function createPaymentBody(request: adapterv1.CreatePaymentRequest, bank: string): CreatePaymentBody {
  const currency = request.amount?.currency ?? "";
  const customerName = request.method.case === "virtualAccount" ? request.method.value.customerName : "";
  return {
    reference: request.paymentId,
    amount: { value: formatMinorUnits(request.amount?.minorUnits ?? 0n, currency), currency },
    bank,
    ...(customerName === "" ? {} : { customer_name: customerName }),
    ...(request.description === "" ? {} : { description: request.description }),
  };
}

/** A payment answer, or undefined when the value is not one. */
export function readPayment(value: unknown): WirePayment | undefined {
  if (!isRecord(value)) return undefined;
  const { id, reference, status, bank, va_number: vaNumber } = value;
  const amount = readAmount(value.amount);
  if (typeof id !== "string" || typeof reference !== "string" || typeof status !== "string") return undefined;
  if (typeof bank !== "string" || amount === undefined) return undefined;
  if (vaNumber !== undefined && typeof vaNumber !== "string") return undefined;
  return { id, reference, status, amount, bank, vaNumber };
}

/** The error of an error answer, or undefined when the body is not the provider's error shape. */
export function readError(body: JsonRecord): WireError | undefined {
  const error = body.error;
  if (!isRecord(error) || typeof error.code !== "string") return undefined;
  const message = typeof error.message === "string" ? error.message : "";
  return { code: error.code, message, field: typeof error.field === "string" ? error.field : undefined };
}

/** A notification, or undefined when the value is not one. */
export function readNotification(value: unknown): WireNotification | undefined {
  if (!isRecord(value) || typeof value.id !== "string" || typeof value.type !== "string") return undefined;
  const payment = readPayment(value.data);
  if (payment === undefined) return undefined;
  const createdAt = typeof value.created_at === "string" ? value.created_at : undefined;
  return { id: value.id, type: value.type, createdAt, payment };
}

/** The Paymesh bank for a provider bank code. */
export function bankOf(code: string): VirtualAccountBank {
  const found = Object.entries(BANK_CODES).find(([, candidate]) => candidate === code);
  return found === undefined ? VirtualAccountBank.UNSPECIFIED : (Number(found[0]) as VirtualAccountBank);
}

function readAmount(value: unknown): WirePayment["amount"] | undefined {
  if (!isRecord(value) || typeof value.value !== "string" || typeof value.currency !== "string") {
    return undefined;
  }
  try {
    return { currency: value.currency, minorUnits: parseDecimalAmount(value.value, value.currency) };
  } catch {
    return undefined; // not a decimal, or a currency Paymesh does not know
  }
}
