import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { adapterv1 } from "@paymesh/proto";
import type { XenditExchange } from "./xendit-http.ts";

/** A ProviderExchange as the router stores it. */
export type ExchangeInit = MessageInitShape<typeof adapterv1.ProviderExchangeSchema>;

/**
 * The audit record of one HTTP exchange. Bodies arrive here already masked (xendit-http.ts masks
 * them when the exchange is recorded), so nothing downstream ever holds a full account number.
 */
export function toExchange(exchange: XenditExchange): ExchangeInit {
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

/** Collects a call's exchanges for its answer and hands each to the log hook as it happens. */
export function createExchangeLog(onExchange: ((exchange: XenditExchange) => void) | undefined): {
  records: ExchangeInit[];
  add(exchange: XenditExchange): void;
} {
  const records: ExchangeInit[] = [];
  return {
    records,
    add(exchange) {
      records.push(toExchange(exchange));
      onExchange?.(exchange);
    },
  };
}
