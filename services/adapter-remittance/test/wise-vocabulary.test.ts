// Wise's whole published vocabulary for a balance-funded transfer, row by row: each transfer state,
// funding answer status and error code, the document it comes from, and what the adapter makes of
// it — produced by the simulator and read through the adapter over gRPC. Values Wise never published
// are reported loudly (captured from stderr here) and never folded into a known one.
import { GrpcCode } from "@paymesh/adapter-kit";
import { deadline, newPaymentId, rejection, useUnknownReports } from "@paymesh/adapter-kit/testing";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import { useFixture } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { TRANSFER_STATES } from "../sandbox/transfer-states.ts";
import { wiseOutcome } from "../src/wise-error-map.ts";
import { fundFromBalance } from "../src/wise-funding.ts";
import { mapWiseState, WISE_STATES } from "../src/wise-status.ts";
import { customerTransactionId, type WiseTransfer } from "../src/wise-wire.ts";
import { idrQuote, remittancePayment, startAdapter } from "./harness.ts";

/** Where each row comes from. */
const TRACKING = 'Wise, "Tracking transfers", section "Transfer statuses"';
const FUNDING = 'Wise, "Funding errors" (fund a transfer: status COMPLETED or REJECTED, errorCode)';
const ERRORS = 'Wise, "Errors" guide (error envelope, HTTP status codes) and docs/providers.md, "Wise"';
const SIMULATOR = "*unconfirmed*: the simulator's dotted code (sandbox/README.md)";

const fixture = useFixture(startAdapter, (started) => started.simulator.reset());

/** Every unknown-value report written to stderr while a test runs. */
const reports = useUnknownReports();

/** An unfunded transfer made straight through the Wise client, with the payment id it belongs to. */
async function unfundedTransfer() {
  const quote = await idrQuote(fixture());
  const { wise } = fixture();
  const recipient = await wise.createRecipient({
    currency: "GBP",
    type: "sort_code",
    accountHolderName: "Ann Smith",
    details: { sortCode: "040075", accountNumber: "37778842" },
  });
  if (!recipient.ok) throw new Error("recipient refused");
  const paymentId = newPaymentId();
  const transfer = await wise.createTransfer({
    targetAccount: recipient.body.id,
    quoteUuid: quote.id,
    customerTransactionId: customerTransactionId(paymentId),
    reference: "Invoice 42",
  });
  if (!transfer.ok) throw new Error("transfer refused");
  return { paymentId, providerReference: transfer.body.id };
}

describe("Wise transfer states", () => {
  // [state, Paymesh status, failure reason]
  const rows: Array<[string, PaymentStatus, ErrorReason | undefined]> = [
    ["incoming_payment_waiting", PaymentStatus.PROCESSING, undefined],
    ["incoming_payment_initiated", PaymentStatus.PROCESSING, undefined],
    ["processing", PaymentStatus.PROCESSING, undefined],
    ["funds_converted", PaymentStatus.PROCESSING, undefined],
    ["outgoing_payment_sent", PaymentStatus.SUCCEEDED, undefined],
    ["charged_back", PaymentStatus.FAILED, ErrorReason.PROVIDER_DECLINED],
    ["cancelled", PaymentStatus.CANCELED, undefined],
    ["funds_refunded", PaymentStatus.FAILED, ErrorReason.PROVIDER_DECLINED],
    ["bounced_back", PaymentStatus.FAILED, ErrorReason.PAYMENT_RETURNED],
    // Wise's own "we do not know yet": documented, so not reported, but nothing to apply.
    ["unknown", PaymentStatus.UNSPECIFIED, undefined],
    ["waiting_recipient_input_to_proceed", PaymentStatus.PROCESSING, undefined],
  ];

  it("the adapter, the simulator and this list hold the same states", () => {
    const listed = rows.map(([state]) => state).sort();
    expect([...WISE_STATES].sort()).toEqual(listed);
    expect([...TRANSFER_STATES].sort()).toEqual(listed);
  });

  for (const [state, status, reason] of rows) {
    it(`${state} → ${PaymentStatus[status]}${reason === undefined ? "" : ` ${ErrorReason[reason]}`} (${TRACKING})`, async () => {
      const payment = await unfundedTransfer();
      if (state !== "incoming_payment_waiting") {
        await fixture().simulator.advance({ transferId: payment.providerReference }, state);
      }
      const answer = await fixture().client.getPaymentStatus(payment, deadline());
      expect({
        status: answer.payment?.status,
        providerStatus: answer.payment?.providerStatus,
        reason: answer.payment?.failure?.reason,
      }).toEqual({ status, providerStatus: state, reason });
      // The webhook of the same state reads the same.
      const webhook = fixture().simulator.webhook(
        { transferId: payment.providerReference },
        { forged: false },
      );
      const parsed = await fixture().client.parseWebhook(
        {
          httpMethod: "POST",
          path: webhook.path,
          headers: Object.entries(webhook.headers).map(([name, value]) => ({ name, value })),
          body: new TextEncoder().encode(webhook.body),
        },
        deadline(),
      );
      expect(parsed.events.map((e) => [e.status, e.providerStatus])).toEqual([[status, state]]);
      expect(reports()).toEqual([]);
    });
  }

  it("an undocumented state is reported and UNSPECIFIED, never PROCESSING or final", () => {
    expect(mapWiseState("paused_for_review", { paymentId: "pay_1" })).toEqual({
      status: PaymentStatus.UNSPECIFIED,
    });
    expect(reports().map((r) => [r.service, r.field, r.value, r.paymentId])).toEqual([
      ["adapter-remittance", "status", "paused_for_review", "pay_1"],
    ]);
  });
});

describe("Wise funding answers", () => {
  it(`COMPLETED: the transfer is funded and moves on (${FUNDING})`, async () => {
    const request = remittancePayment(await idrQuote(fixture()));
    const created = await fixture().client.createPayment(request, deadline());
    expect(created.payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(fixture().simulator.stats().fundings).toBe(1);
    expect(reports()).toEqual([]);
  });

  it(`REJECTED transfer.insufficient_funds: FAILED INSUFFICIENT_FUNDS, unfunded (${FUNDING}; ${SIMULATOR})`, async () => {
    const request = remittancePayment(await idrQuote(fixture(), "66666.66"));
    const created = await fixture().client.createPayment(request, deadline());
    expect({
      status: created.payment?.status,
      reason: created.payment?.failure?.reason,
      providerCode: created.payment?.failure?.providerCode,
    }).toEqual({
      status: PaymentStatus.FAILED,
      reason: ErrorReason.INSUFFICIENT_FUNDS,
      providerCode: "transfer.insufficient_funds",
    });
    expect(fixture().simulator.stats().fundings).toBe(0);
    expect(reports()).toEqual([]);
  });

  it("an undocumented funding status is reported and left to the transfer's own state", async () => {
    const { paymentId, providerReference } = await unfundedTransfer();
    fixture().simulator.configure({ fundingStatus: "UNDER_REVIEW" });
    const transfer = { id: providerReference, status: "incoming_payment_waiting" } as WiseTransfer;
    const { wise } = fixture();
    expect(
      await fundFromBalance(wise, transfer, [], new AbortController().signal, paymentId),
    ).toBeUndefined();
    expect(fixture().simulator.stats().fundings).toBe(0);
    expect(reports().map((r) => [r.field, r.value, r.paymentId])).toEqual([
      ["funding.status", "UNDER_REVIEW", paymentId],
    ]);
  });

  it("an undocumented funding errorCode is reported and a plain decline", () => {
    expect(wiseOutcome(200, "balance.something_new")).toEqual({
      kind: "declined",
      reason: ErrorReason.PROVIDER_DECLINED,
    });
    expect(reports().map((r) => [r.field, r.value])).toEqual([["errorCode", "balance.something_new"]]);
  });
});

describe("Wise error codes", () => {
  it(`NOT_VALID on a recipient detail → INVALID_ARGUMENT naming the field (${ERRORS})`, async () => {
    const request = remittancePayment(await idrQuote(fixture()), "12");
    const error = await rejection(fixture().client.createPayment(request, deadline()));
    expect({ code: error.code, reason: error.reason, provider: error.metadata.provider_code }).toEqual({
      code: GrpcCode.INVALID_ARGUMENT,
      reason: ErrorReason.INVALID_FIELD,
      provider: "NOT_VALID",
    });
    expect(reports()).toEqual([]);
  });

  it(`quote.already.used → INVALID_ARGUMENT (${SIMULATOR})`, async () => {
    const quote = await idrQuote(fixture());
    await fixture().client.createPayment(remittancePayment(quote), deadline());
    const reused = await rejection(fixture().client.createPayment(remittancePayment(quote), deadline()));
    expect({ code: reused.code, provider: reused.metadata.provider_code }).toEqual({
      code: GrpcCode.INVALID_ARGUMENT,
      provider: "quote.already.used",
    });
    expect(reports()).toEqual([]);
  });

  it(`transfer.not.found → NOT_FOUND PAYMENT_NOT_FOUND (${SIMULATOR})`, async () => {
    const error = await rejection(
      fixture().client.getPaymentStatus(
        { paymentId: newPaymentId(), providerReference: "99999999" },
        deadline(),
      ),
    );
    expect({ code: error.code, reason: error.reason }).toEqual({
      code: GrpcCode.NOT_FOUND,
      reason: ErrorReason.PAYMENT_NOT_FOUND,
    });
    expect(reports()).toEqual([]);
  });

  // By HTTP status, Wise's error codes being "not unique" (Errors guide): [status, gRPC code, reason].
  const statuses: Array<[number, GrpcCode, ErrorReason]> = [
    [401, GrpcCode.FAILED_PRECONDITION, ErrorReason.PROVIDER_AUTH_FAILED],
    [403, GrpcCode.FAILED_PRECONDITION, ErrorReason.PROVIDER_AUTH_FAILED],
    [429, GrpcCode.RESOURCE_EXHAUSTED, ErrorReason.PROVIDER_RATE_LIMITED],
    [503, GrpcCode.UNAVAILABLE, ErrorReason.PROVIDER_UNAVAILABLE],
  ];
  for (const [httpStatus, code, reason] of statuses) {
    it(`HTTP ${httpStatus} on a lookup → ${GrpcCode[code]} ${ErrorReason[reason]} (${ERRORS})`, async () => {
      const payment = await unfundedTransfer();
      fixture().simulator.configure({
        failNext: { count: 5, status: httpStatus, code: "SOMETHING_WISE_SAID", endpoint: "get-transfer" },
      });
      const error = await rejection(fixture().client.getPaymentStatus(payment, deadline()));
      expect({ code: error.code, reason: error.reason }).toEqual({ code, reason });
      // A code with no row of its own is reported, then judged by its status.
      expect(reports().map((r) => [r.field, r.value])[0]).toEqual(["errors[].code", "SOMETHING_WISE_SAID"]);
    });
  }
});
