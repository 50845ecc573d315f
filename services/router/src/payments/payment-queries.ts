import { timestampDate } from "@bufbuild/protobuf/wkt";
import { PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason, type ListPaymentsRequest, type Payment } from "@paymesh/proto";
import { type PaymentRecord, type PaymentStore, toPaymentMessage } from "@paymesh/store";
import { decodePageToken, encodePageToken } from "./page-token.ts";
import type { RequestContext } from "./request-context.ts";

/** The caller's payment; another caller's payment is indistinguishable from a missing one. */
export async function findPayment(
  store: PaymentStore,
  context: Pick<RequestContext, "caller">,
  paymentId: string,
): Promise<PaymentRecord> {
  const record = await store.get(context.caller, paymentId);
  if (record === undefined)
    throw new PaymeshError(ErrorReason.PAYMENT_NOT_FOUND, `payment ${paymentId} not found`, {
      field: "payment_id",
    });
  return record;
}

/** One page of the caller's payments, newest first, with the token for the next page. */
export async function listPayments(
  store: PaymentStore,
  context: Pick<RequestContext, "caller">,
  request: ListPaymentsRequest,
  pageSize: number,
): Promise<{ payments: Payment[]; nextPageToken: string }> {
  const filter = {
    statuses: request.statuses,
    methods: request.methods,
    ...(request.createdAfter === undefined ? {} : { createdAfter: timestampDate(request.createdAfter) }),
    ...(request.createdBefore === undefined ? {} : { createdBefore: timestampDate(request.createdBefore) }),
    unresolvedOnly: request.unresolvedOnly,
  };
  const after = decodePageToken(request.pageToken, filter);
  const page = await store.list(context.caller, filter, pageSize, after);
  return {
    payments: page.payments.map(toPaymentMessage),
    nextPageToken: page.after === undefined ? "" : encodePageToken(page.after, filter),
  };
}
