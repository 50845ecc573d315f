import { create } from "@bufbuild/protobuf";
import { GrpcCode, invalidField, missingField, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason, PaymentFailureSchema, PaymentStatus } from "@paymesh/proto";
import {
  isTerminal,
  type PaymentChange,
  type PaymentRecord,
  type PaymentStore,
  type ReviewResolution,
  type ReviewTrail,
} from "@paymesh/store";

/** The longest evidence or note kept: a paragraph, as a recon resolution's note. */
export const MAX_REVIEW_TEXT = 2000;

/** How often a decision is tried again when the payment changed under it (a late webhook). */
const ATTEMPTS = 3;

/** An operator's decision about a payment raised for review. */
export interface ReviewDecision {
  paymentId: string;
  /** PaymentStatus.SUCCEEDED or PaymentStatus.FAILED. */
  status: PaymentStatus;
  evidence: string;
  note: string;
  /** The operator, as their token names them. */
  operator: string;
}

/** Options for {@link createReviewResolver}. */
export interface ReviewResolverOptions {
  /**
   * The router's store: its updates write the journal, the outbox event and the decision's trail
   * entry, and count the metrics.
   */
  store: PaymentStore;
  /** The same database's review trail, read to tell an operator's decision from a provider's. */
  trail: ReviewTrail;
}

/**
 * Settles payments the status resolver raised for review (docs/architecture.md §9), as any other
 * state change: one `store.update` at the version read, cause "operator", which clears the review
 * and the resolver's schedule and writes the journal entry and the payments.events event, and in
 * the same statement appends the decision (who, when, the evidence, why) to the review trail, keyed
 * by the transition it explains: a payment is never settled without its trail entry. Of two operators deciding at once, the store's version check lets one through; the
 * other finds the payment final and is told ALREADY_RESOLVED.
 *
 * Refusals, each a PaymeshError: a missing or malformed field (INVALID_ARGUMENT naming it), no such
 * payment (NOT_FOUND), a payment not under review (PAYMENT_NOT_IN_REVIEW) or already final
 * (PAYMENT_FINAL), or settled by an operator already (ALREADY_RESOLVED), all FAILED_PRECONDITION;
 * a payment that kept changing under the decision, ABORTED (PAYMENT_CHANGED).
 */
export function createReviewResolver(options: ReviewResolverOptions) {
  const { store, trail } = options;

  /** Why a final payment cannot be decided: an operator did already, or its provider did. */
  async function finalRefusal(record: PaymentRecord): Promise<PaymeshError> {
    const last = (await store.journal(record.id)).at(-1);
    const status = PaymentStatus[record.status] ?? String(record.status);
    if (last?.cause === "operator" || (await trail.of(record.id)).length > 0) {
      return new PaymeshError(
        ErrorReason.ALREADY_RESOLVED,
        `payment ${record.id} has already been settled as ${status} by an operator`,
      );
    }
    return new PaymeshError(
      ErrorReason.PAYMENT_FINAL,
      `payment ${record.id} is already ${status}: there is nothing left to decide`,
    );
  }

  return async function resolveReview(
    decision: ReviewDecision,
  ): Promise<{ payment: PaymentRecord; resolution: ReviewResolution }> {
    const evidence = decision.evidence.trim();
    const note = decision.note.trim();
    if (decision.paymentId === "") throw missingField("payment_id");
    if (decision.status !== PaymentStatus.SUCCEEDED && decision.status !== PaymentStatus.FAILED)
      throw invalidField("status", "must be SUCCEEDED or FAILED");
    if (evidence === "") throw missingField("evidence");
    if (evidence.length > MAX_REVIEW_TEXT)
      throw invalidField("evidence", `is longer than ${MAX_REVIEW_TEXT} characters`);
    if (note === "") throw missingField("note");
    if (note.length > MAX_REVIEW_TEXT)
      throw invalidField("note", `is longer than ${MAX_REVIEW_TEXT} characters`);

    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const record = await store.getById(decision.paymentId);
      if (record === undefined || record.rejectedAt !== undefined) {
        throw new PaymeshError(ErrorReason.PAYMENT_NOT_FOUND, `there is no payment ${decision.paymentId}`);
      }
      if (isTerminal(record.status)) throw await finalRefusal(record);
      const review = record.review;
      if (review === undefined) {
        throw new PaymeshError(
          ErrorReason.PAYMENT_NOT_IN_REVIEW,
          `payment ${record.id} is not raised for review: the status resolver is still asking its provider`,
        );
      }
      const change: PaymentChange = {
        status: decision.status,
        review: undefined,
        resolution: undefined,
        outcomeUnknown: false,
        ...(decision.status === PaymentStatus.FAILED
          ? {
              failure: create(PaymentFailureSchema, {
                reason: ErrorReason.FAILED_ON_REVIEW,
                message: "settled as failed by an operator after review, on the provider's evidence",
              }),
            }
          : {}),
      };
      // The transition, its journal entry and event, and the decision's trail entry: one statement.
      const result = await store.update(record.id, record.version, change, "operator", undefined, {
        current: record,
        review: { reviewReason: review.reason, evidence, note, actor: decision.operator },
      });
      if (!result.applied) continue; // changed meanwhile: look again
      if (result.review === undefined)
        throw new Error("the store settled the payment without its trail entry");
      return { payment: result.record, resolution: result.review };
    }
    throw new PaymeshError(
      ErrorReason.PAYMENT_CHANGED,
      `payment ${decision.paymentId} kept changing while it was being settled; read it and try again`,
      { code: GrpcCode.ABORTED },
    );
  };
}

/** Settles a payment under review; see {@link createReviewResolver}. */
export type ResolveReview = ReturnType<typeof createReviewResolver>;
