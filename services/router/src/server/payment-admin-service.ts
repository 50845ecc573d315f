import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { isPaymeshError, PaymeshError } from "@paymesh/adapter-kit";
import { type adminv1, ErrorReason } from "@paymesh/proto";
import { type ReviewResolution, toPaymentMessage } from "@paymesh/store";
import type { Logger } from "@paymesh/telemetry";
import type { ResolveReview } from "../payments/resolve-review.ts";

/**
 * PaymentAdminService's operations, whatever the transport (grpc-server.ts and the Connect routes
 * in http-server.ts call these after authenticating an operator; admin-payment-resolve.ts is the
 * HTTP API). The rules are resolve-review.ts's; a failure that is not one of its refusals is the
 * store's: UNAVAILABLE, its text in the log only.
 */
export function createPaymentAdminService(options: { resolve: ResolveReview | undefined; log: Logger }) {
  const { log } = options;
  return {
    async resolvePayment(
      operator: string,
      request: adminv1.ResolvePaymentRequest,
    ): Promise<MessageInitShape<typeof adminv1.ResolvePaymentResponseSchema>> {
      try {
        if (options.resolve === undefined) {
          throw new PaymeshError(ErrorReason.NOT_IMPLEMENTED, "this router's store keeps no review trail");
        }
        const { payment, resolution } = await options.resolve({
          paymentId: request.paymentId,
          status: request.status,
          evidence: request.evidence,
          note: request.note,
          operator,
        });
        return { payment: toPaymentMessage(payment), resolution: resolutionMessage(resolution) };
      } catch (error) {
        throw publicResolveError(error, "ResolvePayment", log);
      }
    },
  };
}

/** The service's operations; see createPaymentAdminService. */
export type PaymentAdminService = ReturnType<typeof createPaymentAdminService>;

/** A refusal as it is; anything else is the store's, logged, and UNAVAILABLE to the caller. */
export function publicResolveError(error: unknown, method: string, log: Logger): PaymeshError {
  if (isPaymeshError(error)) return error;
  log.error({ source: "admin", method, err: error }, "settling a payment under review failed");
  return new PaymeshError(ErrorReason.STORE_UNAVAILABLE, "the payment store is unavailable; retry later");
}

function resolutionMessage(
  resolution: ReviewResolution,
): MessageInitShape<typeof adminv1.PaymentResolutionSchema> {
  return {
    seq: resolution.seq,
    paymentId: resolution.paymentId,
    fromStatus: resolution.fromStatus,
    status: resolution.status,
    reviewReason: resolution.reviewReason,
    evidence: resolution.evidence,
    note: resolution.note,
    actor: resolution.actor,
    at: timestampFromDate(resolution.at),
  };
}
