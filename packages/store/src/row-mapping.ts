import { fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import {
  BankTransferMethodSchema,
  CustomerActionSchema,
  PaymentFailureSchema,
  PaymentMethodType,
  QrisMethodSchema,
  RemittanceMethodSchema,
  VirtualAccountMethodSchema,
} from "@paymesh/proto";
import { methodTypes, statuses } from "./enum-names.ts";
import type { SealedValue } from "./envelope.ts";
import { methodType, type PaymentMethod, type PaymentRecord } from "./payment-record.ts";
import {
  isNull,
  readBigint,
  readBoolean,
  readBytes,
  readDate,
  readInt,
  readJson,
  readOptionalDate,
  readStringMap,
  readText,
} from "./row-values.ts";
import type { SqlRow, SqlValue } from "./sql-client.ts";

// A row written by a newer release may carry fields this one does not know (during a rollback);
// reading it must not fail.
const READ_JSON = { ignoreUnknownFields: true } as const;

/** The payments columns, in the order paymentValues produces them. */
export const PAYMENT_COLUMNS = [
  "id",
  "caller",
  "idempotency_key",
  "fingerprint",
  "amount_minor",
  "currency",
  "method_type",
  "method",
  "merchant_reference",
  "description",
  "metadata",
  "status",
  "adapter",
  "provider_reference",
  "customer_action",
  "failure",
  "outcome_unknown",
  "created_at",
  "updated_at",
  "expires_at",
  "version",
  "resolution_next_check_at",
  "resolution_attempts",
  "review_reason",
  "review_since",
  "rejected_at",
  "resolution_last_answer",
  "sealed_method",
  "sealed_method_key",
  "sealed_method_key_id",
  "events_held",
  "trace_parent",
] as const;

/** A record as payments column values. Messages are stored as protobuf JSON, readable in psql. */
export function paymentValues(record: PaymentRecord): SqlValue[] {
  return [
    record.id,
    record.caller,
    record.idempotencyKey,
    record.fingerprint,
    record.amount.minorUnits,
    record.amount.currency,
    methodTypes.name(methodType(record.method)),
    methodValue(record.method),
    record.merchantReference,
    record.description,
    JSON.stringify(record.metadata),
    statuses.name(record.status),
    record.adapter,
    record.providerReference,
    record.customerAction === undefined
      ? null
      : JSON.stringify(toJson(CustomerActionSchema, record.customerAction)),
    record.failure === undefined ? null : JSON.stringify(toJson(PaymentFailureSchema, record.failure)),
    record.outcomeUnknown,
    record.createdAt,
    record.updatedAt,
    record.expiresAt ?? null,
    record.version,
    record.resolution?.nextCheckAt ?? null,
    record.resolution?.attempts ?? null,
    record.review?.reason ?? null,
    record.review?.since ?? null,
    record.rejectedAt ?? null,
    record.resolution?.lastAnswer ?? null,
    record.sealedMethod?.ciphertext ?? null,
    record.sealedMethod?.wrappedKey ?? null,
    record.sealedMethod?.keyId ?? null,
    record.eventsHeld === true,
    record.traceParent ?? null,
  ];
}

/** A payments row as a record. */
export function paymentFromRow(row: SqlRow): PaymentRecord {
  const customerAction = readJson(row, "customer_action");
  const failure = readJson(row, "failure");
  return {
    id: readText(row, "id"),
    caller: readText(row, "caller"),
    idempotencyKey: readText(row, "idempotency_key"),
    fingerprint: readText(row, "fingerprint"),
    amount: { currency: readText(row, "currency"), minorUnits: readBigint(row, "amount_minor") },
    method: methodFromJson(methodTypes.value(readText(row, "method_type")), readJson(row, "method")),
    merchantReference: readText(row, "merchant_reference"),
    description: readText(row, "description"),
    metadata: readStringMap(row, "metadata"),
    status: statuses.value(readText(row, "status")),
    adapter: readText(row, "adapter"),
    providerReference: readText(row, "provider_reference"),
    customerAction:
      customerAction === undefined ? undefined : fromJson(CustomerActionSchema, customerAction, READ_JSON),
    failure: failure === undefined ? undefined : fromJson(PaymentFailureSchema, failure, READ_JSON),
    outcomeUnknown: readBoolean(row, "outcome_unknown"),
    createdAt: readDate(row, "created_at"),
    updatedAt: readDate(row, "updated_at"),
    expiresAt: readOptionalDate(row, "expires_at"),
    version: readInt(row, "version"),
    resolution: resolutionFromRow(row),
    review: reviewFromRow(row),
    ...(isNull(row, "rejected_at") ? {} : { rejectedAt: readDate(row, "rejected_at") }),
    ...(isNull(row, "sealed_method") ? {} : { sealedMethod: sealedMethodFromRow(row) }),
    ...(readBoolean(row, "events_held") ? { eventsHeld: true } : {}),
    ...(isNull(row, "trace_parent") ? {} : { traceParent: readText(row, "trace_parent") }),
  };
}

/** The method column's value: protobuf JSON, readable in psql. */
export function methodValue(method: PaymentMethod): string | null {
  const json = methodJson(method);
  return json === undefined ? null : JSON.stringify(json);
}

/** The sealed method of a row whose sealed_method columns are set. */
export function sealedMethodFromRow(row: SqlRow): SealedValue {
  return {
    keyId: readText(row, "sealed_method_key_id"),
    wrappedKey: readBytes(row, "sealed_method_key"),
    ciphertext: readBytes(row, "sealed_method"),
  };
}

// Each pair is NULL or set as a whole (the migration's CHECK constraints); a half-set pair fails
// the read of its other column.

function resolutionFromRow(row: SqlRow): PaymentRecord["resolution"] {
  if (isNull(row, "resolution_next_check_at") && isNull(row, "resolution_attempts")) return undefined;
  return {
    nextCheckAt: readDate(row, "resolution_next_check_at"),
    attempts: readInt(row, "resolution_attempts"),
    ...(isNull(row, "resolution_last_answer") ? {} : { lastAnswer: readText(row, "resolution_last_answer") }),
  };
}

function reviewFromRow(row: SqlRow): PaymentRecord["review"] {
  if (isNull(row, "review_reason") && isNull(row, "review_since")) return undefined;
  return { reason: readText(row, "review_reason"), since: readDate(row, "review_since") };
}

function methodJson(method: PaymentMethod): JsonValue | undefined {
  switch (method.case) {
    case "qris":
      return toJson(QrisMethodSchema, method.value);
    case "virtualAccount":
      return toJson(VirtualAccountMethodSchema, method.value);
    case "bankTransfer":
      return toJson(BankTransferMethodSchema, method.value);
    case "remittance":
      return toJson(RemittanceMethodSchema, method.value);
    default:
      return undefined;
  }
}

function methodFromJson(type: PaymentMethodType, json: JsonValue | undefined): PaymentMethod {
  if (type === PaymentMethodType.UNSPECIFIED) return { case: undefined };
  if (json === undefined) throw new Error(`column method: missing for method type ${methodTypes.name(type)}`);
  switch (type) {
    case PaymentMethodType.QRIS:
      return { case: "qris", value: fromJson(QrisMethodSchema, json, READ_JSON) };
    case PaymentMethodType.VIRTUAL_ACCOUNT:
      return { case: "virtualAccount", value: fromJson(VirtualAccountMethodSchema, json, READ_JSON) };
    case PaymentMethodType.BANK_TRANSFER:
      return { case: "bankTransfer", value: fromJson(BankTransferMethodSchema, json, READ_JSON) };
    case PaymentMethodType.REMITTANCE:
      return { case: "remittance", value: fromJson(RemittanceMethodSchema, json, READ_JSON) };
  }
}
