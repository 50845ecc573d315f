import { statuses } from "./enum-names.ts";
import type { TransitionCause } from "./payment-record.ts";
import type { ExchangeRecord, JournalEntry, StoredResponse } from "./payment-store.ts";
import { readBigint, readBytes, readDate, readInt, readText } from "./row-values.ts";
import type { SqlRow, SqlValue } from "./sql-client.ts";

const CAUSES: ReadonlySet<string> = new Set<TransitionCause>(["api", "webhook", "resolver", "operator"]);

function isCause(value: string): value is TransitionCause {
  return CAUSES.has(value);
}

/** The payment_journal columns the store reads. */
export const JOURNAL_COLUMNS = "payment_id, from_status, to_status, cause, at";

/** A payment_journal row as an entry. */
export function journalFromRow(row: SqlRow): JournalEntry {
  const cause = readText(row, "cause");
  if (!isCause(cause)) throw new Error(`column cause: unknown cause ${JSON.stringify(cause)}`);
  return {
    paymentId: readText(row, "payment_id"),
    from: statuses.value(readText(row, "from_status")),
    to: statuses.value(readText(row, "to_status")),
    cause,
    at: readDate(row, "at"),
  };
}

/** The provider_exchanges columns besides payment_id and adapter, in exchangeValues order. */
export const EXCHANGE_COLUMNS = [
  "operation",
  "http_method",
  "url",
  "request_body",
  "response_status",
  "response_body",
  "started_at",
  "duration_micros",
  "transport_error",
] as const;

/** An exchange as column values, in EXCHANGE_COLUMNS order. */
export function exchangeValues(exchange: ExchangeRecord): SqlValue[] {
  return [
    exchange.operation,
    exchange.httpMethod,
    exchange.url,
    exchange.requestBody,
    exchange.responseStatus,
    exchange.responseBody,
    exchange.startedAt,
    exchange.durationMicros,
    exchange.transportError,
  ];
}

/** A provider_exchanges row as a record. */
export function exchangeFromRow(row: SqlRow): ExchangeRecord {
  return {
    operation: readText(row, "operation"),
    httpMethod: readText(row, "http_method"),
    url: readText(row, "url"),
    requestBody: readText(row, "request_body"),
    responseStatus: readInt(row, "response_status"),
    responseBody: readText(row, "response_body"),
    startedAt: readDate(row, "started_at"),
    durationMicros: readBigint(row, "duration_micros"),
    transportError: readText(row, "transport_error"),
  };
}

/** A completed idempotency_records row as the stored answer. */
export function responseFromRow(row: SqlRow): StoredResponse {
  return {
    fingerprint: readText(row, "fingerprint"),
    paymentId: readText(row, "payment_id"),
    grpcCode: readInt(row, "grpc_code"),
    body: readBytes(row, "response"),
  };
}
