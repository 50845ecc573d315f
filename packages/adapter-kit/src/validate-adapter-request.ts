import { type adapterv1, ErrorReason } from "@paymesh/proto";
import { validateMoney } from "./money.ts";
import { missingField, PaymeshError } from "./paymesh-error.ts";

/**
 * The checks every adapter needs on CreatePayment before it talks to a provider, so no adapter
 * forgets one. Provider rules (banks, limits, formats) stay in the provider.
 */
export function validateCreatePayment(
  request: adapterv1.CreatePaymentRequest,
  description: { currencies: readonly string[]; limits: readonly adapterv1.AmountLimit[] },
): void {
  if (request.paymentId === "") throw missingField("payment_id");
  const amount = validateMoney(request.amount, "amount");
  if (request.method.case === undefined) throw missingField("method");
  if (!description.currencies.includes(amount.currency)) {
    throw new PaymeshError(
      ErrorReason.CURRENCY_NOT_SUPPORTED,
      `amount.currency: ${amount.currency} is not supported (supported: ${description.currencies.join(", ")})`,
      { field: "amount.currency" },
    );
  }
  const limit = description.limits.find((candidate) => candidate.currency === amount.currency);
  if (
    limit !== undefined &&
    (amount.minorUnits < limit.minMinorUnits || amount.minorUnits > limit.maxMinorUnits)
  ) {
    throw new PaymeshError(
      ErrorReason.AMOUNT_OUT_OF_RANGE,
      `amount.minor_units: ${amount.minorUnits} is outside ${limit.minMinorUnits}..${limit.maxMinorUnits} ${amount.currency}`,
      { field: "amount.minor_units" },
    );
  }
}

/** GetPaymentStatus and CancelPayment need at least the payment id. */
export function validatePaymentLookup(request: { paymentId: string }): void {
  if (request.paymentId === "") throw missingField("payment_id");
}
