import { type FieldReader, readFields } from "./body-fields.ts";
import { checkTransactionRequest } from "./request-auth.ts";
import type { SnapRoute, SnapRouteContext } from "./snap-route.ts";

/** A transaction request that passed SNAP's checks: its body's fields and its X-EXTERNAL-ID. */
export interface TransactionRequest {
  fields: FieldReader;
  externalId: string;
}

/**
 * A SNAP transaction endpoint (generate, query, cancel): a POST that injected faults hit, whose
 * token, timestamp, signature and headers are checked before its body's fields are read.
 */
export function transactionRoute(route: {
  path: string;
  endpoint: string;
  serviceCode: string;
  /** Returns the HTTP 200 answer body, or throws a SnapFailure. */
  handle(context: SnapRouteContext, request: TransactionRequest): unknown;
}): SnapRoute {
  const { path, endpoint, serviceCode } = route;
  return {
    method: "POST",
    path,
    endpoint,
    serviceCode,
    transactional: true,
    handle(context, request, rawBody) {
      const { externalId } = checkTransactionRequest(context.state, request, rawBody, { path, serviceCode });
      return route.handle(context, { fields: readFields(rawBody, serviceCode), externalId });
    },
  };
}
