import { GrpcCode } from "@paymesh/adapter-kit";
import { deadline, rejection } from "@paymesh/adapter-kit/testing";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import { createTestClock, useFixture } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { idrQuote, remittancePayment, startAdapter } from "./harness.ts";

const clock = createTestClock();

const fixture = useFixture(
  () => startAdapter({ clock: clock.now }),
  (started) => started.simulator.reset(),
);

describe("CreatePayment", () => {
  it("reads the quote, creates recipient and transfer, funds it, and reports PROCESSING", async () => {
    const request = remittancePayment(await idrQuote(fixture()));
    const { payment, exchanges } = await fixture().client.createPayment(request, deadline());
    expect(payment).toMatchObject({
      status: PaymentStatus.PROCESSING,
      providerStatus: "processing",
      amount: { currency: "IDR", minorUnits: 1_500_000_00n },
    });
    expect(payment?.providerReference).toMatch(/^\d+$/);
    expect(exchanges.map((e) => `${e.operation} ${e.responseStatus}`)).toEqual([
      "getQuote 200",
      "createRecipient 200",
      "createTransfer 200",
      "fundTransfer 200",
      "getTransfer 200",
    ]);
    expect(fixture().simulator.stats()).toMatchObject({ charges: 1, fundings: 1 });
  });

  it("masks the recipient's name and account number in every recorded exchange", async () => {
    const { exchanges } = await fixture().client.createPayment(
      remittancePayment(await idrQuote(fixture())),
      deadline(),
    );
    const recorded = exchanges.map((e) => `${e.url} ${e.requestBody} ${e.responseBody}`).join("\n");
    expect(recorded).not.toContain("Ann Smith");
    expect(recorded).not.toContain("37778842");
    expect(recorded).toContain('"accountHolderName":"A***"');
    expect(recorded).toContain('"accountNumber":"****8842"');
  });

  it("resumes on a repeated payment id: the same transfer, funded once", async () => {
    const request = remittancePayment(await idrQuote(fixture()));
    const first = await fixture().client.createPayment(request, deadline());
    const second = await fixture().client.createPayment(request, deadline());
    expect(second.payment?.providerReference).toBe(first.payment?.providerReference);
    expect(second.exchanges.map((e) => e.operation)).not.toContain("fundTransfer");
    expect(fixture().simulator.stats()).toMatchObject({ charges: 1, fundings: 1 });
  });

  it("declines the magic amount 66666.66 as INSUFFICIENT_FUNDS and cancels the unfunded transfer", async () => {
    const quote = await idrQuote(fixture(), "66666.66");
    const { payment, exchanges } = await fixture().client.createPayment(remittancePayment(quote), deadline());
    expect(payment).toMatchObject({
      status: PaymentStatus.FAILED,
      providerStatus: "cancelled",
      failure: { reason: ErrorReason.INSUFFICIENT_FUNDS, providerCode: "transfer.insufficient_funds" },
    });
    expect(exchanges.map((e) => e.operation).slice(-2)).toEqual(["fundTransfer", "cancelTransfer"]);
    expect(fixture().simulator.transfer({ transferId: payment?.providerReference ?? "" }).state).toBe(
      "cancelled",
    );
    expect(fixture().simulator.stats().fundings).toBe(0);
  });

  it("retries the transfer after the magic 50404.04 timeout: Wise answers the same transfer, one charge", async () => {
    const quote = await idrQuote(fixture(), "50404.04");
    const { payment, exchanges } = await fixture().client.createPayment(remittancePayment(quote), deadline());
    expect(payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(exchanges.filter((e) => e.operation === "createTransfer").map((e) => e.responseStatus)).toEqual([
      504, 200,
    ]);
    expect(fixture().simulator.stats()).toMatchObject({ charges: 1, fundings: 1 });
  });

  it("reports OUTCOME_UNKNOWN when every attempt at the transfer fails, and nothing is guessed", async () => {
    // 503 on each of the client's 3 attempts.
    fixture().simulator.configure({
      failNext: { count: 3, status: 503, code: "SERVICE_UNAVAILABLE", endpoint: "create-transfer" },
    });
    const request = remittancePayment(await idrQuote(fixture()));
    const error = await rejection(fixture().client.createPayment(request, deadline()));
    expect({ code: error.code, reason: error.reason }).toEqual({
      code: GrpcCode.DEADLINE_EXCEEDED,
      reason: ErrorReason.OUTCOME_UNKNOWN,
    });
    const retried = await fixture().client.createPayment(request, deadline());
    expect(retried.payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(fixture().simulator.stats().charges).toBe(1);
  });

  it("leaves a transfer whose funding was lost findable by payment id and cancellable", async () => {
    fixture().simulator.configure({
      failNext: { count: 3, status: 503, code: "SERVICE_UNAVAILABLE", endpoint: "fund-transfer" },
    });
    const request = remittancePayment(await idrQuote(fixture()));
    const error = await rejection(fixture().client.createPayment(request, deadline()));
    expect(error.reason).toBe(ErrorReason.OUTCOME_UNKNOWN);
    const status = await fixture().client.getPaymentStatus(
      { paymentId: request.paymentId ?? "" },
      deadline(),
    );
    expect(status.payment).toMatchObject({
      status: PaymentStatus.PROCESSING,
      providerStatus: "incoming_payment_waiting",
    });
    expect(status.exchanges.map((e) => e.operation)).toEqual(["listTransfers"]);
    const cancelled = await fixture().client.cancelPayment(
      { paymentId: request.paymentId ?? "", reason: "operator" },
      deadline(),
    );
    expect(cancelled.payment).toMatchObject({ status: PaymentStatus.CANCELED, providerStatus: "cancelled" });
    const again = await fixture().client.createPayment(request, deadline());
    expect(again.payment?.status).toBe(PaymentStatus.CANCELED);
    expect(fixture().simulator.stats()).toMatchObject({ charges: 1, fundings: 0 });
  });
});

describe("CreatePayment against the quote", () => {
  it("refuses an expired quote (by clock and by Wise) with FAILED_PRECONDITION QUOTE_EXPIRED", async () => {
    const byClock = await idrQuote(fixture());
    clock.advance(30 * 60_000);
    const late = await rejection(fixture().client.createPayment(remittancePayment(byClock), deadline()));
    expect({ code: late.code, reason: late.reason, field: late.field }).toEqual({
      code: GrpcCode.FAILED_PRECONDITION,
      reason: ErrorReason.QUOTE_EXPIRED,
      field: "remittance.quote_id",
    });
    const byWise = await idrQuote(fixture());
    fixture().simulator.expireQuote(byWise.id);
    const expired = await rejection(fixture().client.createPayment(remittancePayment(byWise), deadline()));
    expect(expired.reason).toBe(ErrorReason.QUOTE_EXPIRED);
    expect(fixture().simulator.stats().charges).toBe(0);
  });

  it("still answers a payment whose transfer exists after its quote's lock ended", async () => {
    const request = remittancePayment(await idrQuote(fixture()));
    const first = await fixture().client.createPayment(request, deadline());
    clock.advance(31 * 60_000);
    const again = await fixture().client.createPayment(request, deadline());
    expect(again.payment?.providerReference).toBe(first.payment?.providerReference);
  });

  it("refuses a quote another payment used, and a reference Wise finds too long, naming the field", async () => {
    const quote = await idrQuote(fixture());
    await fixture().client.createPayment(remittancePayment(quote), deadline());
    const reused = await rejection(fixture().client.createPayment(remittancePayment(quote), deadline()));
    expect({ code: reused.code, field: reused.field, provider: reused.metadata.provider_code }).toEqual({
      code: GrpcCode.INVALID_ARGUMENT,
      field: "remittance.quote_id",
      provider: "quote.already.used",
    });
    const long = remittancePayment(await idrQuote(fixture()));
    if (long.method?.case === "remittance") long.method.value.reference = "R".repeat(36);
    const tooLong = await rejection(fixture().client.createPayment(long, deadline()));
    expect({ code: tooLong.code, field: tooLong.field }).toEqual({
      code: GrpcCode.INVALID_ARGUMENT,
      field: "remittance.reference",
    });
    expect(fixture().simulator.stats().charges).toBe(1);
  });

  it("names missing remittance parts before calling Wise", async () => {
    const quote = await idrQuote(fixture());
    const cases: Array<[(method: Record<string, unknown>) => void, string]> = [
      [(m) => (m.quoteId = ""), "remittance.quote_id"],
      [(m) => (m.recipient = undefined), "remittance.recipient"],
      [
        (m) =>
          (m.recipient = { currency: "GBP", type: "sort_code", accountHolderName: " ", details: { a: "1" } }),
        "remittance.recipient.account_holder_name",
      ],
      [
        (m) => (m.recipient = { currency: "GBP", type: "", accountHolderName: "Ann", details: { a: "1" } }),
        "remittance.recipient.type",
      ],
      [
        (m) => (m.recipient = { currency: "GBP", type: "sort_code", accountHolderName: "Ann", details: {} }),
        "remittance.recipient.details",
      ],
      [
        (m) =>
          (m.recipient = {
            currency: "gbp",
            type: "sort_code",
            accountHolderName: "Ann",
            details: { a: "1" },
          }),
        "remittance.recipient.currency",
      ],
    ];
    for (const [change, field] of cases) {
      const request = remittancePayment(quote);
      if (request.method?.case === "remittance")
        change(request.method.value as unknown as Record<string, unknown>);
      const error = await rejection(fixture().client.createPayment(request, deadline()));
      expect(error.code, field).toBe(GrpcCode.INVALID_ARGUMENT);
      expect(error.field, field).toBe(field);
    }
    expect(fixture().simulator.stats().requests["get-quote"]).toBeUndefined();
  });
});
