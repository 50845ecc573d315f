import type { DescMessage, MessageInitShape } from "@bufbuild/protobuf";
import type { Metadata } from "@grpc/grpc-js";
import type { adapterv1 } from "@paymesh/proto";

type Init<T extends DescMessage> = MessageInitShape<T>;

/**
 * One message of a settlement report's stream: a page of lines (`settlements`), or a batch's
 * control totals (`batch`) after its last line.
 */
export type SettlementItem = Init<typeof adapterv1.ListSettlementsResponseSchema>;

/** What every provider call gets besides its request. */
export interface ProviderCallContext {
  /** The caller's deadline (the router propagates its own caller's); Infinity when none. */
  deadline: Date | number;
  /** Aborted when the caller cancels or the deadline passes: stop waiting on the provider. */
  signal: AbortSignal;
  metadata: Metadata;
}

/**
 * What an adapter team implements: one provider's API behind Paymesh's contract. Return plain
 * objects (protobuf-es init shapes); throw PaymeshError for request-level problems. A payment the
 * provider declined is a normal answer with status FAILED and a failure, not a throw.
 *
 * The kit validates what every adapter needs (payment id, amount, method present) before calling
 * these; a provider validates its own rules (banks, limits) and names the field at fault.
 */
export interface PaymentProvider {
  describe(): Init<typeof adapterv1.DescribeResponseSchema>;
  /**
   * Must be idempotent on `payment_id`: derive the provider-side idempotency key from it, and on
   * the provider's "duplicate" answer fetch and return the existing payment.
   */
  createPayment(
    request: adapterv1.CreatePaymentRequest,
    context: ProviderCallContext,
  ): Promise<Init<typeof adapterv1.CreatePaymentResponseSchema>>;
  /** NOT_FOUND (PAYMENT_NOT_FOUND) when the provider does not know the payment. */
  getPaymentStatus(
    request: adapterv1.GetPaymentStatusRequest,
    context: ProviderCallContext,
  ): Promise<Init<typeof adapterv1.GetPaymentStatusResponseSchema>>;
  cancelPayment?(
    request: adapterv1.CancelPaymentRequest,
    context: ProviderCallContext,
  ): Promise<Init<typeof adapterv1.CancelPaymentResponseSchema>>;
  /** Verifies exactly the bytes received; throws WEBHOOK_SIGNATURE_INVALID when they do not verify. */
  parseWebhook?(
    request: adapterv1.ParseWebhookRequest,
    context: ProviderCallContext,
  ): Promise<Init<typeof adapterv1.ParseWebhookResponseSchema>>;
  /**
   * The provider's report for `request.date`, page by page as it is read (see settlement-report.ts):
   * pages of lines, each batch's control totals after its last line. The next page is asked for
   * only when the caller has taken the last one.
   */
  listSettlements?(
    request: adapterv1.ListSettlementsRequest,
    context: ProviderCallContext,
  ): AsyncIterable<SettlementItem>;
  createQuote?(
    request: adapterv1.CreateQuoteRequest,
    context: ProviderCallContext,
  ): Promise<Init<typeof adapterv1.CreateQuoteResponseSchema>>;
}
