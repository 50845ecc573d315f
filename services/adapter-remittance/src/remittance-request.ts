import { invalidField, missingField, PaymeshError } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason, type RemittanceMethod } from "@paymesh/proto";
import { minorUnits } from "./provider-support.ts";
import { balanceOption } from "./remittance-quote.ts";
import type { WiseQuote } from "./wise-types.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A remittance request's parts, checked for presence and shape. */
export interface RemittanceRequest {
  quoteId: string;
  recipient: { currency: string; type: string; accountHolderName: string; details: Record<string, string> };
  reference: string;
  amount: { currency: string; minorUnits: bigint };
}

/**
 * The request-level checks that need no provider: the method is remittance and every part Wise
 * needs is present. Formats of the account details are Wise's business; its field errors come
 * back naming `remittance.recipient.details.<field>` (wise-error-map.ts).
 */
export function readRemittanceRequest(request: adapterv1.CreatePaymentRequest): RemittanceRequest {
  if (request.method.case !== "remittance") {
    throw invalidField(
      "method",
      "this adapter serves remittance payments only",
      ErrorReason.METHOD_NOT_SUPPORTED,
    );
  }
  const method: RemittanceMethod = request.method.value;
  if (method.quoteId === "") throw missingField("remittance.quote_id");
  if (!UUID.test(method.quoteId)) {
    throw invalidField("remittance.quote_id", "is not a Wise quote id (a UUID from CreateQuote)");
  }
  const recipient = method.recipient;
  if (recipient === undefined) throw missingField("remittance.recipient");
  if (recipient.currency === "") throw missingField("remittance.recipient.currency");
  if (!/^[A-Z]{3}$/.test(recipient.currency)) {
    throw invalidField("remittance.recipient.currency", `"${recipient.currency}" is not an ISO 4217 code`);
  }
  if (recipient.type === "") throw missingField("remittance.recipient.type");
  if (recipient.accountHolderName.trim() === "")
    throw missingField("remittance.recipient.account_holder_name");
  if (Object.keys(recipient.details).length === 0) throw missingField("remittance.recipient.details");
  if (request.amount === undefined) throw missingField("amount");
  return {
    quoteId: method.quoteId,
    recipient: {
      currency: recipient.currency,
      type: recipient.type,
      accountHolderName: recipient.accountHolderName,
      details: { ...recipient.details },
    },
    reference: method.reference,
    amount: { currency: request.amount.currency, minorUnits: request.amount.minorUnits },
  };
}

/**
 * The payment must be exactly what the quote priced: its amount is the quote's source amount (of
 * the BALANCE option, which the adapter pays with), the recipient is in the target currency, and
 * an unused quote's rate is still locked. A quote a transfer already uses (ACCEPTED, FUNDED) is
 * not checked for expiry: that transfer may be this payment's, and Wise answers it by
 * customerTransactionId.
 */
export function checkAgainstQuote(quote: WiseQuote, payment: RemittanceRequest, now: Date): void {
  if (payment.amount.currency !== quote.sourceCurrency) {
    throw invalidField("amount.currency", `must be the quote's source currency ${quote.sourceCurrency}`);
  }
  const expected = minorUnits(balanceOption(quote).sourceAmount, quote.sourceCurrency);
  if (payment.amount.minorUnits !== expected) {
    throw invalidField(
      "amount",
      `must equal the quote's source amount ${expected} ${quote.sourceCurrency} minor units (got ${payment.amount.minorUnits})`,
    );
  }
  if (payment.recipient.currency !== quote.targetCurrency) {
    throw invalidField(
      "remittance.recipient.currency",
      `must be the quote's target currency ${quote.targetCurrency}`,
    );
  }
  const lockEnds = new Date(quote.rateExpirationTime).getTime();
  const unused = quote.status === "PENDING" || quote.status === "";
  if (quote.status === "EXPIRED" || (unused && now.getTime() >= lockEnds)) {
    throw new PaymeshError(
      ErrorReason.QUOTE_EXPIRED,
      `remittance.quote_id: quote ${quote.id} has expired; create a new quote`,
      {
        field: "remittance.quote_id",
        providerCode: "EXPIRED",
      },
    );
  }
}
