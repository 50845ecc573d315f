import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { maskAccountNumber, maskName } from "@paymesh/adapter-kit";
import {
  type CreatePaymentRequest,
  type CustomerAction,
  type Payment,
  type PaymentFailure,
  PaymentMethodType,
  PaymentSchema,
  type PaymentStatus,
} from "@paymesh/proto";
import type { SealedValue } from "./envelope.ts";

/** The method oneof, shared by the public request, the adapter request and the Payment. */
export type PaymentMethod = CreatePaymentRequest["method"];

/** A payment as the router stores it. Converted to the wire Payment in exactly one place. */
export interface PaymentRecord {
  id: string;
  /** The authenticated calling service; payments are visible only to their caller. */
  caller: string;
  idempotencyKey: string;
  /** Hash of the canonical request, to tell a retry from a reused key (docs/architecture.md §5). */
  fingerprint: string;
  amount: { currency: string; minorUnits: bigint };
  /**
   * The method. Given to PaymentStore.insert, as the caller sent it; read from a store, masked
   * (maskedMethod): account numbers and names are never kept in clear.
   */
  method: PaymentMethod;
  /**
   * The method as the caller sent it, sealed (envelope encryption, docs/architecture.md §7) by the
   * store on insert and kept only while a provider call may still need it: until the payment leaves
   * PENDING (a retry re-sends it), then erased. Opened with PaymentStore.revealMethod.
   */
  sealedMethod?: SealedValue | undefined;
  /**
   * Its events wait unpublished in the outbox: a new payment may yet be refused as invalid, and a
   * refused request must never be announced. Released by its first status change or a change that
   * clears this (an adapter's answer); discarded by a change that rejects it (rejectedAt).
   */
  eventsHeld?: boolean | undefined;
  merchantReference: string;
  description: string;
  metadata: Record<string, string>;
  status: PaymentStatus;
  /** Registry name of the adapter that has (or may have) the payment upstream; "" before routing. */
  adapter: string;
  providerReference: string;
  customerAction: CustomerAction | undefined;
  failure: PaymentFailure | undefined;
  /** The last provider call's outcome is unknown; the payment must not be guessed terminal. */
  outcomeUnknown: boolean;
  /**
   * The status resolver's work on this payment, kept in the store so it survives a router
   * restart: when to ask the provider next, and how often it has asked. Undefined when nothing
   * is owed.
   */
  resolution: { nextCheckAt: Date; attempts: number; lastAnswer?: string | undefined } | undefined;
  /**
   * Set when the adapter refused the request as invalid (INVALID_ARGUMENT), which proves nothing was
   * created upstream: the row stays for the audit trail (journal, exchanges, the idempotent answer),
   * but the payment was never one, so callers' reads (get, list) do not show it.
   */
  rejectedAt?: Date | undefined;
  /** Raised for a person to decide (the resolver's horizon passed); undefined otherwise. */
  review: { reason: string; since: Date } | undefined;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date | undefined;
  /** Bumped on every change; guards concurrent writers. */
  version: number;
  /**
   * The W3C traceparent of the request that created the payment, when it was traced: later work on
   * the payment (webhooks, the status resolver) links its own traces to it. Never changes.
   */
  traceParent?: string | undefined;
}

/** Who caused a state change, recorded in the journal. */
export type TransitionCause = "api" | "webhook" | "resolver" | "operator";

/** The method type of a oneof value, for routing and filters. */
export function methodType(method: PaymentMethod): PaymentMethodType {
  switch (method.case) {
    case "qris":
      return PaymentMethodType.QRIS;
    case "virtualAccount":
      return PaymentMethodType.VIRTUAL_ACCOUNT;
    case "bankTransfer":
      return PaymentMethodType.BANK_TRANSFER;
    case "remittance":
      return PaymentMethodType.REMITTANCE;
    default:
      return PaymentMethodType.UNSPECIFIED;
  }
}

/** The wire Payment for a record. Account numbers are masked on the way out, of every method. */
export function toPaymentMessage(record: PaymentRecord): Payment {
  return create(PaymentSchema, {
    id: record.id,
    amount: record.amount,
    status: record.status,
    method: maskedMethod(record.method),
    merchantReference: record.merchantReference,
    description: record.description,
    metadata: record.metadata,
    createdAt: timestampFromDate(record.createdAt),
    updatedAt: timestampFromDate(record.updatedAt),
    ...(record.expiresAt === undefined ? {} : { expiresAt: timestampFromDate(record.expiresAt) }),
    adapter: record.adapter,
    providerReference: record.providerReference,
    ...(record.customerAction === undefined ? {} : { customerAction: record.customerAction }),
    ...(record.failure === undefined ? {} : { failure: record.failure }),
    outcomeUnknown: record.outcomeUnknown,
    needsReview: record.review !== undefined,
    reviewReason: record.review?.reason ?? "",
  });
}

/**
 * Remittance recipient details that name the bank or branch, not the account: shown as given. Every
 * other detail (account number, IBAN, CLABE, card, and any key a provider adds) is masked, so a new
 * field is hidden until someone decides it is safe.
 */
const ROUTING_DETAILS = new Set([
  "sortCode",
  "bic",
  "swiftCode",
  "bankCode",
  "branchCode",
  "abartn",
  "routingNumber",
  "ifscCode",
  "institutionNumber",
  "transitNumber",
  "sort_code",
  "bank_code",
  "branch_code",
  "swift_code",
  "routing_number",
]);

/**
 * The method as the store keeps it and answers and events show it: account numbers to their last
 * four characters, people's names to their first letter (the adapters' MASK_RULES). Masking a masked
 * method changes nothing.
 */
export function maskedMethod(method: PaymentMethod): PaymentMethod {
  switch (method.case) {
    case "virtualAccount":
      return {
        case: "virtualAccount",
        value: { ...method.value, customerName: maskName(method.value.customerName) },
      };
    case "bankTransfer":
      return {
        case: "bankTransfer",
        value: {
          ...method.value,
          accountNumber: maskAccountNumber(method.value.accountNumber),
          accountHolderName: maskName(method.value.accountHolderName),
        },
      };
    case "remittance": {
      const recipient = method.value.recipient;
      if (recipient === undefined) return method;
      const details = Object.fromEntries(
        Object.entries(recipient.details).map(([key, value]) => [
          key,
          ROUTING_DETAILS.has(key) ? value : maskAccountNumber(value),
        ]),
      );
      const accountHolderName = maskName(recipient.accountHolderName);
      return {
        case: "remittance",
        value: { ...method.value, recipient: { ...recipient, accountHolderName, details } },
      };
    }
    default:
      return method;
  }
}
