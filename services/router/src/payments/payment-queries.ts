import type { Timestamp } from "@bufbuild/protobuf/wkt";
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
  const from = request.createdAfter === undefined ? undefined : createdBoundMs(request.createdAfter);
  const until = request.createdBefore === undefined ? undefined : createdBoundMs(request.createdBefore);
  const filter = {
    statuses: request.statuses,
    methods: request.methods,
    ...(from === undefined ? {} : { createdAfter: new Date(Math.min(from, LAST_INSTANT_MS)) }),
    // Past the last millisecond a database date holds, every payment is before it: no bound at all.
    ...(until === undefined || until > LAST_INSTANT_MS ? {} : { createdBefore: new Date(until) }),
    unresolvedOnly: request.unresolvedOnly,
  };
  const after = decodePageToken(request.pageToken, filter);
  const page = await store.list(context.caller, filter, pageSize, after);
  return {
    payments: page.payments.map(toPaymentMessage),
    nextPageToken: page.after === undefined ? "" : encodePageToken(page.after, filter),
  };
}

/** 9999-12-31T23:59:59.999Z, in ms: the last instant a request's Timestamp names, to the millisecond. */
const LAST_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * A created_after or created_before bound in milliseconds, rounded up: a payment's creation time
 * has whole milliseconds, so `>=` and `<` mean the same against the rounded bound as against the
 * exact one. 9999-12-31T23:59:59.999999999Z, a valid Timestamp, rounds into the year 10000, which no
 * database date holds: the caller clamps.
 */
function createdBoundMs(timestamp: Timestamp): number {
  return Number(timestamp.seconds) * 1000 + Math.ceil(timestamp.nanos / 1_000_000);
}
