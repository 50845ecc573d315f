// Xendit's whole published vocabulary for single disbursements, row by row: each status, failure
// code and error code, the document it comes from, what the adapter makes of it — produced by the
// simulator and read through the adapter over gRPC. Values Xendit never published are reported
// loudly (captured from stderr here) and never folded into a known one.
import { GrpcCode } from "@paymesh/adapter-kit";
import { deadline, rejection, useUnknownReports } from "@paymesh/adapter-kit/testing";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import { useFixture } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { FAILURE_CODES, simulatorDefaults, type XenditErrorCode } from "../sandbox/index.ts";
import { FAILURE_CODES_MAPPED, xenditErrorOutcome } from "../src/xendit-error-map.ts";
import { startHarness, transferRequest } from "./harness.ts";

/** Where each row comes from. */
const ERRORS_CREATING = 'Xendit, "Disbursement Errors", section "Errors in creating the disbursement"';
const ERRORS_EXECUTING = 'Xendit, "Disbursement Errors", section "Errors in executing the disbursement"';
const USING = 'Xendit, "Using Disbursements" (the create answer) and "Testing Disbursements" (callbacks)';
const UNCONFIRMED = "*unconfirmed*: Xendit API reference conventions (docs/providers.md)";

const harness = useFixture(
  () => startHarness(),
  (started) => started.simulator.reset(),
);

/** Every unknown-value report written to stderr while a test runs. */
const reports = useUnknownReports();

/** A payout created through the adapter to `accountNumber`; its payment id and Xendit id. */
async function payout(accountNumber = "1234567890") {
  const request = transferRequest({ accountNumber });
  const created = await harness().client.createPayment(request, deadline());
  return { paymentId: request.paymentId, id: created.payment?.providerReference ?? "", created };
}

/** The payment as GetPaymentStatus answers it, found by id or (providerReference "") by external_id. */
async function status(paymentId: string, providerReference = "") {
  const answer = await harness().client.getPaymentStatus({ paymentId, providerReference }, deadline());
  return answer.payment;
}

describe("Xendit disbursement statuses", () => {
  const rows: Array<[string, PaymentStatus, string]> = [
    ["PENDING", PaymentStatus.PROCESSING, USING],
    ["COMPLETED", PaymentStatus.SUCCEEDED, USING],
    ["FAILED", PaymentStatus.FAILED, `${USING}; ${ERRORS_EXECUTING}`],
  ];
  for (const [value, expected, source] of rows) {
    it(`${value} → ${PaymentStatus[expected]} (${source})`, async () => {
      const { paymentId, id } = await payout(value === "FAILED" ? "9999999106" : "1234567890");
      if (value !== "PENDING") await harness().simulator.complete({ id });
      const payment = await status(paymentId, id);
      expect({ status: payment?.status, providerStatus: payment?.providerStatus }).toEqual({
        status: expected,
        providerStatus: value,
      });
      expect(reports()).toEqual([]);
    });
  }

  it("an undocumented status is reported and answered UNSPECIFIED with the raw word, by lookup and callback", async () => {
    const { paymentId, id } = await payout();
    harness().simulator.override({ id }, { status: "ON_HOLD" });
    const payment = await status(paymentId, id);
    expect({ status: payment?.status, providerStatus: payment?.providerStatus }).toEqual({
      status: PaymentStatus.UNSPECIFIED,
      providerStatus: "ON_HOLD",
    });
    const callback = harness().simulator.webhook({ id }, { path: "/webhooks/transfer", forged: false });
    const parsed = await harness().client.parseWebhook(
      {
        httpMethod: "POST",
        path: callback.path,
        headers: Object.entries(callback.headers).map(([name, value]) => ({ name, value })),
        body: new TextEncoder().encode(callback.body),
      },
      deadline(),
    );
    expect(parsed.events.map((e) => [e.status, e.providerStatus, e.paymentId])).toEqual([
      [PaymentStatus.UNSPECIFIED, "ON_HOLD", paymentId],
    ]);
    expect(reports().map((r) => [r.service, r.field, r.value, r.paymentId])).toEqual([
      ["adapter-transfer", "status", "ON_HOLD", paymentId],
      ["adapter-transfer", "status", "ON_HOLD", paymentId],
    ]);
  });
});

describe("Xendit failure codes", () => {
  // [code, unified reason, where Xendit documents it]; the simulator's account numbers 9…101–108.
  const rows: Array<[string, ErrorReason, string]> = [
    ["INSUFFICIENT_BALANCE", ErrorReason.INSUFFICIENT_FUNDS, ERRORS_EXECUTING],
    ["INVALID_DESTINATION", ErrorReason.INVALID_DESTINATION, ERRORS_EXECUTING],
    ["REJECTED_BY_BANK", ErrorReason.REJECTED_BY_BANK, ERRORS_EXECUTING],
    // Temporary: Xendit says to retry later, which after a FAILED payout is a new payout.
    ["TEMPORARY_BANK_NETWORK_ERROR", ErrorReason.PROVIDER_UNAVAILABLE, ERRORS_EXECUTING],
    ["UNKNOWN_BANK_NETWORK_ERROR", ErrorReason.PROVIDER_ERROR, ERRORS_EXECUTING],
    ["TRANSFER_ERROR", ErrorReason.PROVIDER_DECLINED, ERRORS_EXECUTING],
    ["SWITCHING_NETWORK_ERROR", ErrorReason.PROVIDER_UNAVAILABLE, ERRORS_EXECUTING],
    ["TEMPORARY_TRANSFER_ERROR", ErrorReason.PROVIDER_UNAVAILABLE, ERRORS_EXECUTING],
  ];

  it("the table, the simulator and this list hold the same codes", () => {
    expect([...FAILURE_CODES_MAPPED].sort()).toEqual(rows.map(([code]) => code).sort());
    expect([...FAILURE_CODES].sort()).toEqual(rows.map(([code]) => code).sort());
  });

  for (const [code, reason, source] of rows) {
    it(`${code} → FAILED ${ErrorReason[reason]} (${source})`, async () => {
      const accountNumber = `9999999${101 + FAILURE_CODES.indexOf(code as (typeof FAILURE_CODES)[number])}`;
      const { paymentId, id } = await payout(accountNumber);
      const completed = await harness().simulator.complete({ id });
      expect(completed.disbursement.failureCode).toBe(code);
      const payment = await status(paymentId, id);
      expect({
        status: payment?.status,
        reason: payment?.failure?.reason,
        providerCode: payment?.failure?.providerCode,
      }).toEqual({ status: PaymentStatus.FAILED, reason, providerCode: code });
      expect(reports()).toEqual([]);
      // Never re-sent: the one payout Xendit failed is all there is.
      expect(harness().simulator.stats().charges).toBe(1);
    });
  }

  it("an undocumented failure code is reported and the payment held UNSPECIFIED with the code, not declined", async () => {
    const { paymentId, id } = await payout();
    harness().simulator.override({ id }, { status: "FAILED", failureCode: "BANK_ON_FIRE" });
    const payment = await status(paymentId, id);
    expect({
      status: payment?.status,
      providerStatus: payment?.providerStatus,
      providerCode: payment?.failure?.providerCode,
    }).toEqual({ status: PaymentStatus.UNSPECIFIED, providerStatus: "FAILED", providerCode: "BANK_ON_FIRE" });
    expect(reports().map((r) => [r.field, r.value, r.paymentId])).toEqual([
      ["failure_code", "BANK_ON_FIRE", paymentId],
    ]);
  });
});

describe("Xendit error codes (answers to requests)", () => {
  // Creation, by the simulator's magic amounts: [code, amount, gRPC code, reason, source].
  const creation: Array<[string, bigint, GrpcCode, ErrorReason, string]> = [
    ["API_VALIDATION_ERROR", 10_400n, GrpcCode.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD, ERRORS_CREATING],
    [
      "INVALID_JSON_FORMAT",
      10_406n,
      GrpcCode.FAILED_PRECONDITION,
      ErrorReason.PROVIDER_ERROR,
      ERRORS_CREATING,
    ],
    [
      "BANK_CODE_NOT_SUPPORTED_ERROR",
      10_401n,
      GrpcCode.INVALID_ARGUMENT,
      ErrorReason.BANK_NOT_SUPPORTED,
      ERRORS_CREATING,
    ],
    [
      "RECIPIENT_ACCOUNT_NUMBER_ERROR",
      10_402n,
      GrpcCode.INVALID_ARGUMENT,
      ErrorReason.INVALID_FIELD,
      ERRORS_CREATING,
    ],
    [
      "RECIPIENT_AMOUNT_ERROR",
      10_403n,
      GrpcCode.INVALID_ARGUMENT,
      ErrorReason.AMOUNT_OUT_OF_RANGE,
      ERRORS_CREATING,
    ],
    [
      "MAXIMUM_TRANSFER_LIMIT_ERROR",
      10_404n,
      GrpcCode.FAILED_PRECONDITION,
      ErrorReason.LIMIT_EXCEEDED,
      ERRORS_CREATING,
    ],
    [
      "REQUEST_FORBIDDEN_ERROR",
      10_405n,
      GrpcCode.FAILED_PRECONDITION,
      ErrorReason.PROVIDER_AUTH_FAILED,
      ERRORS_CREATING,
    ],
    // The key was spent and no payout of this payment exists: the outcome stays open.
    [
      "DUPLICATE_TRANSACTION_ERROR",
      10_409n,
      GrpcCode.UNAVAILABLE,
      ErrorReason.OUTCOME_UNKNOWN,
      ERRORS_CREATING,
    ],
    ["SERVER_ERROR", 10_500n, GrpcCode.UNAVAILABLE, ErrorReason.PROVIDER_ERROR, ERRORS_CREATING],
  ];
  for (const [code, rupiah, grpcCode, reason, source] of creation) {
    it(`${code} on create → ${GrpcCode[grpcCode]} ${ErrorReason[reason]} (${source})`, async () => {
      const error = await rejection(harness().client.createPayment(transferRequest({ rupiah }), deadline()));
      expect({ code: error.code, reason: error.reason, providerCode: error.metadata.provider_code }).toEqual({
        code: grpcCode,
        reason,
        providerCode: code,
      });
      expect(harness().simulator.stats().charges).toBe(0);
      expect(reports()).toEqual([]);
    });
  }

  // Lookups, by the simulator's failNext: [code, attempts to fail, gRPC code, reason, source].
  const lookups: Array<[XenditErrorCode, number, GrpcCode, ErrorReason, string]> = [
    ["DISBURSEMENT_NOT_FOUND_ERROR", 1, GrpcCode.NOT_FOUND, ErrorReason.PAYMENT_NOT_FOUND, UNCONFIRMED],
    [
      "DIRECT_DISBURSEMENT_NOT_FOUND_ERROR",
      1,
      GrpcCode.NOT_FOUND,
      ErrorReason.PAYMENT_NOT_FOUND,
      UNCONFIRMED,
    ],
    ["INVALID_API_KEY", 1, GrpcCode.FAILED_PRECONDITION, ErrorReason.PROVIDER_AUTH_FAILED, UNCONFIRMED],
    [
      "REQUEST_FORBIDDEN_ERROR",
      1,
      GrpcCode.FAILED_PRECONDITION,
      ErrorReason.PROVIDER_AUTH_FAILED,
      ERRORS_CREATING,
    ],
    ["RATE_LIMIT_EXCEEDED", 3, GrpcCode.RESOURCE_EXHAUSTED, ErrorReason.PROVIDER_RATE_LIMITED, UNCONFIRMED],
    ["SERVER_ERROR", 3, GrpcCode.UNAVAILABLE, ErrorReason.PROVIDER_UNAVAILABLE, ERRORS_CREATING],
  ];
  for (const [code, count, grpcCode, reason, source] of lookups) {
    it(`${code} on lookup → ${GrpcCode[grpcCode]} ${ErrorReason[reason]} (${source})`, async () => {
      const { paymentId, id } = await payout();
      await harness().simulator.configure({ failNext: { count, error_code: code } });
      const error = await rejection(
        harness().client.getPaymentStatus({ paymentId, providerReference: id }, deadline()),
      );
      expect({ code: error.code, reason: error.reason }).toEqual({ code: grpcCode, reason });
      expect(harness().simulator.stats().requests["get-disbursement"]).toBe(count);
      expect(reports()).toEqual([]);
    });
  }

  it("an undocumented error code is reported, then judged by its HTTP status alone", () => {
    expect(xenditErrorOutcome("BRAND_NEW_ERROR", 400, { paymentId: "pay_1" })).toMatchObject({
      kind: "refused",
      code: GrpcCode.INVALID_ARGUMENT,
    });
    expect(xenditErrorOutcome("BRAND_NEW_OUTAGE", 503)).toEqual({
      kind: "uncertain",
      reason: ErrorReason.PROVIDER_UNAVAILABLE,
    });
    expect(reports().map((r) => [r.field, r.value, r.paymentId])).toEqual([
      ["error_code", "BRAND_NEW_ERROR", "pay_1"],
      ["error_code", "BRAND_NEW_OUTAGE", undefined],
    ]);
  });
});

describe("a lookup by external_id that finds several disbursements", () => {
  it("answers the payout this payment created, not the list's first, with the list newest first", async () => {
    const { paymentId, id } = await payout();
    // A payout made later by hand with the same external_id, already completed.
    const newer = harness().simulator.addSibling({ id }, { createdOffsetMs: 60_000, status: "COMPLETED" });
    const listed = await fetch(`${harness().simulator.url}/disbursements?external_id=${paymentId}`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${simulatorDefaults.secretKey}:`).toString("base64")}`,
      },
    });
    expect(((await listed.json()) as Array<{ id: string }>).map((d) => d.id)).toEqual([newer.id, id]);
    const payment = await status(paymentId);
    expect({ reference: payment?.providerReference, status: payment?.status }).toEqual({
      reference: id,
      status: PaymentStatus.PROCESSING,
    });
    expect(harness().simulator.stats().charges).toBe(2);
  });

  it("resolves a spent key to the payment's own payout when another shares its external_id", async () => {
    const { created, paymentId, id } = await payout();
    harness().simulator.addSibling(
      { id },
      { createdOffsetMs: 30_000, status: "FAILED", failureCode: "TRANSFER_ERROR" },
    );
    // The same CreatePayment again: Xendit says the key was used; the lookup must find ours.
    const again = await harness().client.createPayment(
      { ...transferRequest(), paymentId, amount: created.payment?.amount },
      deadline(),
    );
    expect({ reference: again.payment?.providerReference, status: again.payment?.status }).toEqual({
      reference: id,
      status: PaymentStatus.PROCESSING,
    });
  });
});
