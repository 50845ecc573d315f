import { clone, create } from "@bufbuild/protobuf";
import { adapterv1, ErrorReason, MoneySchema, PaymentMethodType, PaymentStatus } from "@paymesh/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrpcClient, type GrpcClient } from "../grpc-client.ts";
import { GrpcCode as Code, type GrpcCode, isPaymeshError, type PaymeshError } from "../paymesh-error.ts";
import type { ConformanceFixture, RecordedWebhook } from "./conformance-fixture.ts";

/**
 * Registers the adapter conformance tests in the calling test file: the behaviour the router
 * relies on from every adapter, checked against the adapter's real simulator. Call it at the top
 * level of the adapter's own test file.
 */
export function runConformanceSuite(
  name: string,
  setup: () => Promise<ConformanceFixture>,
  teardown: () => Promise<void> = async () => {},
): void {
  describe(`${name}: ProviderAdapter conformance`, () => {
    let fixture: ConformanceFixture;
    let client: GrpcClient<typeof adapterv1.ProviderAdapter.method>;
    const deadline = (): Date => new Date(Date.now() + 10_000);

    beforeAll(async () => {
      fixture = await setup();
      client = createGrpcClient(adapterv1.ProviderAdapter, fixture.adapterAddress);
    });
    afterAll(async () => {
      client?.close();
      await teardown();
    });

    it("describes itself coherently", async () => {
      const description = await client.describe({}, { deadline: deadline() });
      expect(description.provider).toMatch(/^[a-z0-9-]+$/);
      expect(description.version).not.toBe("");
      expect(description.methods.length).toBeGreaterThan(0);
      expect(description.methods).not.toContain(PaymentMethodType.UNSPECIFIED);
      expect(description.currencies.length).toBeGreaterThan(0);
      for (const currency of description.currencies) expect(currency).toMatch(/^[A-Z]{3}$/);
      for (const limit of description.limits) {
        expect(description.currencies).toContain(limit.currency);
        expect(limit.minMinorUnits).toBeGreaterThan(0n);
        expect(limit.maxMinorUnits).toBeGreaterThanOrEqual(limit.minMinorUnits);
      }
      expect(description.features).not.toContain(adapterv1.Feature.UNSPECIFIED);
    });

    it("creates a payment and reports the same payment by status", async () => {
      const request = await fixture.newPayment();
      const created = await client.createPayment(request, { deadline: deadline() });
      const payment = created.payment;
      expect(payment?.providerReference).toBeTruthy();
      expect(payment?.status).not.toBe(PaymentStatus.UNSPECIFIED);
      expect(created.exchanges.length).toBeGreaterThan(0);
      expect(
        created.exchanges.every((exchange) => exchange.responseStatus > 0 || exchange.transportError !== ""),
      ).toBe(true);

      const status = await client.getPaymentStatus(
        { paymentId: request.paymentId ?? "", providerReference: payment?.providerReference ?? "" },
        { deadline: deadline() },
      );
      expect(status.payment?.providerReference).toBe(payment?.providerReference);
      expect(status.payment?.status).toBe(payment?.status);
      expect(status.payment?.amount?.minorUnits).toBe(request.amount?.minorUnits);
    });

    it("makes one upstream charge when the same payment id is created twice", async () => {
      const request = await fixture.newPayment();
      const before = await fixture.chargesMade();
      const first = await client.createPayment(request, { deadline: deadline() });
      const second = await client.createPayment(request, { deadline: deadline() });
      expect(second.payment?.providerReference).toBe(first.payment?.providerReference);
      expect(await fixture.chargesMade()).toBe(before + 1);
    });

    it("answers NOT_FOUND for a payment the provider does not know", async () => {
      const unknown = (await fixture.newPayment()).paymentId ?? "";
      const error = await rejection(
        client.getPaymentStatus({ paymentId: unknown }, { deadline: deadline() }),
      );
      expectError(error, Code.NOT_FOUND, ErrorReason.PAYMENT_NOT_FOUND);
    });

    it("rejects a payment without an id, amount or method, naming the field", async () => {
      const valid = create(adapterv1.CreatePaymentRequestSchema, await fixture.newPayment());
      const variant = (
        change: (request: adapterv1.CreatePaymentRequest) => void,
      ): adapterv1.CreatePaymentRequest => {
        const request = clone(adapterv1.CreatePaymentRequestSchema, valid);
        change(request);
        return request;
      };
      const cases: Array<[adapterv1.CreatePaymentRequest, string]> = [
        [
          variant((r) => {
            r.paymentId = "";
          }),
          "payment_id",
        ],
        [
          variant((r) => {
            r.amount = undefined;
          }),
          "amount",
        ],
        [
          variant((r) => {
            r.amount = create(MoneySchema, { currency: valid.amount?.currency ?? "IDR", minorUnits: -100n });
          }),
          "amount.minor_units",
        ],
        [
          variant((r) => {
            r.amount = create(MoneySchema, { currency: "XTS", minorUnits: 100n });
          }),
          "amount.currency",
        ],
        [
          variant((r) => {
            r.method = { case: undefined };
          }),
          "method",
        ],
      ];
      for (const [request, field] of cases) {
        const error = await rejection(client.createPayment(request, { deadline: deadline() }));
        expect(error.code, field).toBe(Code.INVALID_ARGUMENT);
        expect(error.field, field).toBe(field);
      }
    });

    it("rejects provider-specific bad input with INVALID_ARGUMENT naming the field", async () => {
      expect(fixture.invalidPayments.length).toBeGreaterThan(0);
      const before = await fixture.chargesMade();
      for (const { name: caseName, request, field } of fixture.invalidPayments) {
        const error = await rejection(client.createPayment(request, { deadline: deadline() }));
        expect(error.code, caseName).toBe(Code.INVALID_ARGUMENT);
        expect(error.field, caseName).toBe(field);
      }
      expect(await fixture.chargesMade()).toBe(before);
    });

    it("accepts a signed webhook and rejects a forged or unsigned one", async () => {
      const request = await fixture.newPayment();
      const created = await client.createPayment(request, { deadline: deadline() });
      const payment = {
        paymentId: request.paymentId ?? "",
        providerReference: created.payment?.providerReference ?? "",
      };

      const signed = await fixture.webhookFor(payment, { forged: false });
      const parsed = await client.parseWebhook(webhookRequest(signed), { deadline: deadline() });
      expect(parsed.events.length).toBeGreaterThan(0);
      const event = parsed.events[0];
      expect(event?.eventId).not.toBe("");
      expect(
        event?.providerReference === payment.providerReference || event?.paymentId === payment.paymentId,
      ).toBe(true);
      expect(event?.status).not.toBe(PaymentStatus.UNSPECIFIED);
      expect(parsed.reply?.httpStatus).toBeGreaterThanOrEqual(200);
      expect(parsed.reply?.httpStatus).toBeLessThan(300);

      const forged = await fixture.webhookFor(payment, { forged: true });
      expectError(
        await rejection(client.parseWebhook(webhookRequest(forged), { deadline: deadline() })),
        Code.UNAUTHENTICATED,
        ErrorReason.WEBHOOK_SIGNATURE_INVALID,
      );
      const unsigned = fixture.unsignedWebhook?.(signed) ?? {
        ...signed,
        headers: { "content-type": "application/json" },
      };
      expectError(
        await rejection(client.parseWebhook(webhookRequest(unsigned), { deadline: deadline() })),
        Code.UNAUTHENTICATED,
        ErrorReason.WEBHOOK_SIGNATURE_INVALID,
      );
    });
  });
}

function webhookRequest(webhook: RecordedWebhook): {
  httpMethod: string;
  path: string;
  headers: Array<{ name: string; value: string }>;
  body: Uint8Array;
} {
  return {
    httpMethod: "POST",
    path: webhook.path,
    headers: Object.entries(webhook.headers).map(([name, value]) => ({ name: name.toLowerCase(), value })),
    body: typeof webhook.body === "string" ? new TextEncoder().encode(webhook.body) : webhook.body,
  };
}

async function rejection(promise: Promise<unknown>): Promise<PaymeshError> {
  try {
    await promise;
  } catch (error) {
    if (isPaymeshError(error)) return error;
    throw error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

function expectError(error: PaymeshError, code: GrpcCode, reason: ErrorReason): void {
  expect({ code: error.code, reason: error.reasonName }).toEqual({ code, reason: ErrorReason[reason] });
}
