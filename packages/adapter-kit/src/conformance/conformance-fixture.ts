import type { MessageInitShape } from "@bufbuild/protobuf";
import type { adapterv1 } from "@paymesh/proto";

type CreateRequest = MessageInitShape<typeof adapterv1.CreatePaymentRequestSchema>;

/** A webhook exactly as the provider would deliver it. */
export interface RecordedWebhook {
  /** The path the provider calls on the router, e.g. "/webhooks/qris" (signatures may cover it). */
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/**
 * What an adapter's own test hands the conformance suite: its running adapter and handles on the
 * simulator behind it. Everything is observed through the simulator, never through adapter code.
 */
export interface ConformanceFixture {
  /** "host:port" of the adapter, started with serveAdapter() and pointed at its simulator. */
  adapterAddress: string;
  /**
   * A valid CreatePayment request with a fresh payment id on every call. May be async, e.g. when
   * a payment needs a quote created first.
   */
  newPayment(): CreateRequest | Promise<CreateRequest>;
  /** Requests this provider must refuse with INVALID_ARGUMENT, and the field each must name. */
  invalidPayments: ReadonlyArray<{ name: string; request: CreateRequest; field: string }>;
  /** How many real charges (payments created upstream) the simulator has made so far. */
  chargesMade(): Promise<number>;
  /**
   * A webhook for the payment as the simulator would send it now. `forged` means signed with a key
   * or token the adapter does not trust.
   */
  webhookFor(
    payment: { paymentId: string; providerReference: string },
    options: { forged: boolean },
  ): Promise<RecordedWebhook>;
  /**
   * The signed webhook with its authentication taken away, for the "unsigned" check. By default
   * every header but Content-Type is dropped, which is right for providers that sign in headers
   * (SNAP, Xendit, Wise). A provider that signs inside the body (Midtrans's signature_key, whose
   * notifications carry no other header) removes the signature from the body instead.
   */
  unsignedWebhook?(signed: RecordedWebhook): RecordedWebhook;
}
