import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { adapterv1 } from "@paymesh/proto";

/**
 * One HTTP round trip with a provider, as an adapter records it for the payment's audit trail. It
 * maps field for field onto the ProviderExchange message ({@link toExchangeInit}). Bodies are
 * recorded as the adapter's mask leaves them: this record is stored and logged.
 */
export interface HttpExchange<Operation extends string = string> {
  /** The adapter's name for the call, e.g. `createDisbursement`. */
  operation: Operation;
  httpMethod: string;
  url: string;
  /** The body sent (masked); "" when there was none. */
  requestBody: string;
  /** Absent when no answer arrived. */
  responseStatus?: number;
  /** The body received (masked); absent when none was read. */
  responseBody?: string;
  startedAt: Date;
  durationMicros: number;
  /** Why no usable answer arrived: connection refused or reset, timeout, abort, unparseable answer. */
  transportError?: string;
}

/** A ProviderExchange message as an adapter returns it to the router. */
export type ProviderExchangeInit = MessageInitShape<typeof adapterv1.ProviderExchangeSchema>;

/**
 * The ProviderExchange the router stores for one recorded round trip. Absent answer fields become
 * the message's zero values, which the router reads as "no answer".
 */
export function toExchangeInit(exchange: HttpExchange): ProviderExchangeInit {
  return {
    operation: exchange.operation,
    httpMethod: exchange.httpMethod,
    url: exchange.url,
    requestBody: exchange.requestBody,
    responseStatus: exchange.responseStatus ?? 0,
    responseBody: exchange.responseBody ?? "",
    startedAt: timestampFromDate(exchange.startedAt),
    durationMicros: BigInt(exchange.durationMicros),
    transportError: exchange.transportError ?? "",
  };
}
