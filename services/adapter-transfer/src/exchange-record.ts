import { type ProviderExchangeInit, toExchangeInit } from "@paymesh/adapter-kit";
import type { XenditExchange } from "./xendit-http.ts";

/** A ProviderExchange as the router stores it. */
export type ExchangeInit = ProviderExchangeInit;

/**
 * The audit record of one HTTP exchange. Bodies arrive here already masked (xendit-http.ts masks
 * them when the exchange is recorded), so nothing downstream ever holds a full account number.
 */
export const toExchange: (exchange: XenditExchange) => ExchangeInit = toExchangeInit;

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
