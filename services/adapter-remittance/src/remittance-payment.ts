import type { MessageInitShape } from "@bufbuild/protobuf";
import { isPaymeshError } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason, PaymentStatus } from "@paymesh/proto";
import { customerTransactionId } from "./customer-transaction-id.ts";
import {
  type ExchangeInit,
  minorUnits,
  paymentFromTransfer,
  recorded,
  wiseFailure,
} from "./provider-support.ts";
import { checkAgainstQuote, type RemittanceRequest, readRemittanceRequest } from "./remittance-request.ts";
import type { WiseClient } from "./wise-client.ts";
import { wiseOutcome } from "./wise-error-map.ts";
import type { WiseTransfer } from "./wise-types.ts";

type CreatePaymentResponseInit = MessageInitShape<typeof adapterv1.CreatePaymentResponseSchema>;
type Funding = { kind: "funded" } | { kind: "declined"; reason: ErrorReason; errorCode: string };

/**
 * CreatePayment for a remittance (PROVIDERS.md, "Wise"): read the quote and check the payment
 * against it, create the recipient, create the transfer with the customerTransactionId derived
 * from the payment id, fund it from the balance, and report the transfer's state. Every step is
 * safe to repeat (the client repeats 429/5xx answers itself), so a repeated call with the same payment id resumes where an earlier one stopped
 * and never makes a second transfer. A balance too small is a declined payment (FAILED), and its
 * transfer is cancelled so it cannot be funded later by accident.
 */
export async function createRemittancePayment(
  client: WiseClient,
  request: adapterv1.CreatePaymentRequest,
  now: Date,
  signal: AbortSignal,
): Promise<CreatePaymentResponseInit> {
  const payment: RemittanceRequest = readRemittanceRequest(request);
  const exchanges: ExchangeInit[] = [];
  const quote = await recorded(exchanges, false, () => client.getQuote(payment.quoteId, signal));
  if (!quote.ok) throw wiseFailure(quote, "getQuote", false);
  checkAgainstQuote(quote.body, payment, now);

  const recipient = await recorded(exchanges, false, () =>
    client.createRecipient({ ...payment.recipient, signal }),
  );
  if (!recipient.ok) throw wiseFailure(recipient, "createRecipient", false);

  // The client retries a 429/5xx with the same customerTransactionId (wise-retry.ts); a lost
  // answer is OUTCOME_UNKNOWN, and a repeated CreatePayment resumes with the same transfer.
  const created = await recorded(exchanges, true, () =>
    client.createTransfer({
      targetAccount: recipient.body.id,
      quoteUuid: payment.quoteId,
      customerTransactionId: customerTransactionId(request.paymentId),
      reference: payment.reference,
      signal,
    }),
  );
  if (!created.ok) throw wiseFailure(created, "createTransfer", true);
  let transfer: WiseTransfer = created.body;

  if (transfer.status === "incoming_payment_waiting") {
    const funding = await fund(client, transfer, exchanges, signal);
    if (funding.kind === "declined") {
      return { payment: await declined(client, transfer, funding, exchanges, signal), exchanges };
    }
  }
  // The state after funding is Wise's to say; if that read fails, the last state Wise told us stands.
  const latest = await recorded(exchanges, false, () => client.getTransfer(transfer.id, signal)).catch(
    (error: unknown) => {
      if (isPaymeshError(error)) return undefined;
      throw error;
    },
  );
  if (latest?.ok === true) transfer = latest.body;
  return { payment: paymentFromTransfer(transfer), exchanges };
}

async function fund(
  client: WiseClient,
  transfer: WiseTransfer,
  exchanges: ExchangeInit[],
  signal: AbortSignal,
): Promise<Funding> {
  const answer = await recorded(exchanges, true, () => client.fundTransfer(transfer.id, signal));
  if (answer.ok) {
    if (answer.body.status !== "REJECTED") return { kind: "funded" };
    const outcome = wiseOutcome(200, answer.body.errorCode);
    const reason = outcome.kind === "declined" ? outcome.reason : ErrorReason.PROVIDER_DECLINED;
    return { kind: "declined", reason, errorCode: answer.body.errorCode };
  }
  const outcome = wiseOutcome(answer.status, answer.errors[0]?.code ?? "");
  // Already funded (an earlier attempt did it), or no longer fundable: the transfer's state says what happened.
  if (outcome.kind === "duplicate" || outcome.kind === "declined") return { kind: "funded" };
  throw wiseFailure(answer, "fundTransfer", true);
}

async function declined(
  client: WiseClient,
  transfer: WiseTransfer,
  funding: Extract<Funding, { kind: "declined" }>,
  exchanges: ExchangeInit[],
  signal: AbortSignal,
): Promise<MessageInitShape<typeof adapterv1.ProviderPaymentSchema>> {
  let state = transfer.status;
  try {
    const cancelled = await recorded(exchanges, false, () => client.cancelTransfer(transfer.id, signal));
    if (cancelled.ok) state = cancelled.body.status;
  } catch (error) {
    // Best effort: an unfunded transfer moves no money, and Wise cancels stale ones itself.
    if (!isPaymeshError(error)) throw error;
  }
  return {
    status: PaymentStatus.FAILED,
    providerReference: transfer.id,
    providerStatus: state,
    amount: {
      currency: transfer.sourceCurrency,
      minorUnits: minorUnits(transfer.sourceValue, transfer.sourceCurrency),
    },
    failure: {
      reason: funding.reason,
      message: `Wise rejected funding the transfer from the balance (${funding.errorCode})`,
      providerCode: funding.errorCode,
    },
  };
}
