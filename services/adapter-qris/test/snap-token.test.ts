// The B2B access token (src/snap-token.ts) as the client's callers see it: shared, cached, refreshed
// once on 401xx01, first in the trail, and a failure to get one never sends the transaction.
import { setTimeout as delay } from "node:timers/promises";
import { GrpcCode } from "@paymesh/adapter-kit";
import { deadline, rejection, transportRejection } from "@paymesh/adapter-kit/testing";
import { ErrorReason } from "@paymesh/proto";
import { startScriptedProxy } from "@paymesh/sandbox-kit";
import { useFixture } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { createQrisSimulator } from "../sandbox/index.ts";
import { createSnapQrClient, type SnapQrClientOptions } from "../src/snap-client.ts";
import { serveQris, snapOptions } from "./harness.ts";

const TOKEN = "POST /v1.0/access-token/b2b";
const GENERATE = "POST /v1.0/qr/qr-mpm-generate";
const INVALID_TOKEN = {
  status: 401,
  body: '{"responseCode":"4014701","responseMessage":"Invalid Token (B2B)"}',
};

/** A fresh client (no cached token) through the proxy(), with tiny backoffs. */
function freshClient(overrides: Partial<SnapQrClientOptions> = {}) {
  return createSnapQrClient(
    snapOptions(proxy().url, { retry: { initialDelayMs: 1, maxDelayMs: 5 }, ...overrides }),
  );
}

const trail = (exchanges: { operation: string; responseStatus?: number }[]) =>
  exchanges.map((e) => `${e.operation} ${e.responseStatus ?? "-"}`);

const simulator = useFixture(() => createQrisSimulator());
const proxy = useFixture(() => startScriptedProxy(simulator().url));

describe("the access token", () => {
  it("is fetched once for concurrent callers, each trail starting with it", async () => {
    const client = freshClient();
    const answers = await Promise.all(
      ["a", "b", "c"].map((id) => client.queryQr({ partnerReferenceNo: `pay-${id}` })),
    );
    expect(answers.map((answer) => trail(answer.exchanges))).toEqual([
      ["accessToken 200", "queryQr 404"],
      ["accessToken 200", "queryQr 404"],
      ["accessToken 200", "queryQr 404"],
    ]);
    expect(simulator().stats().requests["access-token"]).toBe(1);
  });

  it("is refreshed once after 401xx01, and a second 401xx01 is the answer", async () => {
    const client = freshClient();
    await client.queryQr({ partnerReferenceNo: "warm-up" });
    proxy().on(
      GENERATE,
      () => INVALID_TOKEN,
      () => INVALID_TOKEN,
    );
    const answer = await client.generateQr({ partnerReferenceNo: "pay-twice", amountMinorUnits: 100_000n });
    expect(answer).toMatchObject({ ok: false, responseCode: "4014701", httpStatus: 401 });
    expect(trail(answer.exchanges)).toEqual(["generateQr 401", "accessToken 200", "generateQr 401"]);
    expect(simulator().stats()).toMatchObject({ charges: 0, requests: { "access-token": 2 } });
  });

  it("refused by the bank: the refusal is the call's answer, and the provider's PROVIDER_AUTH_FAILED", async () => {
    const client = freshClient({ clientId: "not-the-partner" });
    const answer = await client.generateQr({ partnerReferenceNo: "pay-auth", amountMinorUnits: 100_000n });
    expect(answer).toMatchObject({ ok: false, responseCode: "4017300", httpStatus: 401 });
    expect(trail(answer.exchanges)).toEqual(["accessToken 401"]);

    const served = await serveQris(proxy().url, { client: { clientId: "not-the-partner" } });
    try {
      const request = {
        paymentId: "pay_qristokentest0000000001",
        amount: { currency: "IDR", minorUnits: 25_000_00n },
        method: { case: "qris" as const, value: {} },
      };
      const error = await rejection(served.client.createPayment(request, deadline()));
      expect(error).toMatchObject({
        code: GrpcCode.FAILED_PRECONDITION,
        reason: ErrorReason.PROVIDER_AUTH_FAILED,
        metadata: { provider_code: "4017300" },
      });
      expect(error.neverReachedProvider).toBe(false);
    } finally {
      await served.close();
    }
    expect(simulator().stats().requests["qr-mpm-generate"] ?? 0).toBe(0);
  });
});

describe("no token: the transaction is never sent", () => {
  it("a token request whose answers are lost, after its retries: sent false, every attempt in the trail", async () => {
    const lost = () => {
      throw new Error("connection reset");
    };
    proxy().on(TOKEN, lost, lost, lost);
    const error = await transportRejection(
      freshClient().generateQr({ partnerReferenceNo: "pay-lost", amountMinorUnits: 100_000n }),
    );
    expect(error.sent).toBe(false);
    expect(error.message).toMatch(/^access token: /);
    expect(error.exchanges.map((e) => [e.operation, e.transportError !== undefined])).toEqual([
      ["accessToken", true],
      ["accessToken", true],
      ["accessToken", true],
    ]);
    expect(simulator().stats().requests["qr-mpm-generate"] ?? 0).toBe(0);
  });

  it("a token answer without a token: sent false, the reason in the exchange", async () => {
    proxy().on(TOKEN, () => ({
      status: 200,
      body: '{"responseCode":"2007300","responseMessage":"Successful"}',
    }));
    const error = await transportRejection(freshClient().queryQr({ partnerReferenceNo: "pay-empty" }));
    expect(error).toMatchObject({
      sent: false,
      message: "access token: malformed answer: lacks accessToken (HTTP 200)",
      exchange: {
        operation: "accessToken",
        transportError: "malformed answer: lacks accessToken (HTTP 200)",
      },
    });
  });

  it("a caller that gives up while the token is on its way: sent false; the token still serves the next call", async () => {
    proxy().on(TOKEN, async (forward) => {
      await delay(200);
      return forward();
    });
    const client = freshClient();
    const error = await transportRejection(
      client.generateQr({
        partnerReferenceNo: "pay-impatient",
        amountMinorUnits: 100_000n,
        signal: AbortSignal.timeout(50),
      }),
    );
    expect(error).toMatchObject({
      sent: false,
      exchange: { operation: "accessToken", transportError: "aborted while waiting for the access token" },
    });
    const later = await client.generateQr({ partnerReferenceNo: "pay-patient", amountMinorUnits: 100_000n });
    expect(later.ok).toBe(true);
    expect(simulator().stats()).toMatchObject({
      charges: 1,
      requests: { "access-token": 1, "qr-mpm-generate": 1 },
    });
  });
});
