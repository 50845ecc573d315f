import { transportRejection } from "@paymesh/adapter-kit/testing";
import { snapDate } from "@paymesh/snap";
import { createTestClock, unusedPort, useFixture, waitFor } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { createQrisSimulator } from "../sandbox/index.ts";
import { createSnapQrClient, type SnapQrClientOptions } from "../src/snap-client.ts";
import { snapOptions } from "./harness.ts";

const clock = createTestClock(new Date("2024-03-05T03:00:00Z"));
const simulator = useFixture(() => createQrisSimulator({ clock: clock.now }));

function clientOptions(overrides: Partial<SnapQrClientOptions> = {}): SnapQrClientOptions {
  return snapOptions(simulator().url, {
    terminalId: "TERM01",
    clock: clock.now,
    // Upstream retries with tiny backoffs, so the 5xx paths run in milliseconds.
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  });
}

describe("createSnapQrClient against the simulator", () => {
  it("generates a QR, sending and recording the exact signed body", async () => {
    const client = createSnapQrClient(clientOptions());
    const answer = await client.generateQr({ partnerReferenceNo: "pay-1", amountMinorUnits: 1_000_000n });
    if (!answer.ok) throw new Error(`generate failed: ${answer.responseCode}`);
    expect(answer.responseCode).toBe("2004700");
    expect(answer.body).toMatchObject({ partnerReferenceNo: "pay-1", terminalId: "TERM01" });
    expect(answer.body.qrContent).toContain("5405100005802ID");
    expect(answer.body.additionalInfo?.validityPeriod).toBe("2024-03-05T10:30:00+07:00");
    expect(answer.exchange).toMatchObject({
      operation: "generateQr",
      httpMethod: "POST",
      url: `${simulator().url}/v1.0/qr/qr-mpm-generate`,
      requestBody:
        '{"partnerReferenceNo":"pay-1","amount":{"value":"10000.00","currency":"IDR"},"merchantId":"PAYMESHSIM0001","terminalId":"TERM01"}',
      responseStatus: 200,
      startedAt: clock.now(),
    });
    expect(answer.exchange.durationMicros).toBeGreaterThan(0);
    expect(answer.exchanges.map((e) => e.operation)).toEqual(["accessToken", "generateQr"]);
    expect(simulator().stats().charges).toBe(1);
  });

  it("returns the bank's refusal of a duplicate partnerReferenceNo; still one charge", async () => {
    const client = createSnapQrClient(clientOptions());
    await client.generateQr({ partnerReferenceNo: "pay-dup", amountMinorUnits: 500_000n });
    const again = await client.generateQr({ partnerReferenceNo: "pay-dup", amountMinorUnits: 500_000n });
    expect(again).toMatchObject({ ok: false, responseCode: "4094701", httpStatus: 409 });
    expect(simulator().stats().charges).toBe(1);
  });

  it("queries and cancels, with the token fetched once and reused", async () => {
    const client = createSnapQrClient(clientOptions());
    const generated = await client.generateQr({
      partnerReferenceNo: "pay-q",
      amountMinorUnits: 2_500_050n,
      validityPeriod: new Date("2024-03-05T03:10:00Z"),
      terminalLabel: "KASIR-2",
    });
    const referenceNo = generated.ok ? generated.body.referenceNo : "";
    const query = await client.queryQr({ partnerReferenceNo: "pay-q", referenceNo });
    expect(query).toMatchObject({
      ok: true,
      body: {
        latestTransactionStatus: "03",
        amount: { value: "25000.50", currency: "IDR" },
        terminalId: "KASIR-2",
      },
    });
    const cancel = await client.cancelQr({ partnerReferenceNo: "pay-q", reason: "customer left" });
    expect(cancel).toMatchObject({
      ok: true,
      responseCode: "2007700",
      body: { originalReferenceNo: referenceNo },
    });
    expect(await client.queryQr({ partnerReferenceNo: "pay-q" })).toMatchObject({
      body: { latestTransactionStatus: "05" },
    });
    expect(await client.queryQr({ partnerReferenceNo: "nope" })).toMatchObject({
      ok: false,
      responseCode: "4045101",
    });
    expect(simulator().stats().requests["access-token"]).toBe(1);
  });

  it("reports paid QRs in query, settlements, and refuses to cancel them", async () => {
    const client = createSnapQrClient(clientOptions());
    await client.generateQr({ partnerReferenceNo: "pay-paid", amountMinorUnits: 1_000_000n });
    await simulator().pay({ partnerReferenceNo: "pay-paid" });
    const query = await client.queryQr({ partnerReferenceNo: "pay-paid" });
    expect(query).toMatchObject({
      ok: true,
      body: { latestTransactionStatus: "00", paidTime: "2024-03-05T10:00:00+07:00" },
    });
    expect(await client.cancelQr({ partnerReferenceNo: "pay-paid" })).toMatchObject({
      ok: false,
      responseCode: "4037715",
    });
    const report = await client.listSettlements({ date: snapDate(clock.now()) });
    expect(report).toMatchObject({
      ok: true,
      body: {
        // Rp10.000 in sen, 0.7% MDR, PPN 11% on it (rounded down to the rupiah), net; then the totals.
        lines: [
          expect.stringMatching(
            /,pay-paid,PAYMENT,\d{8} \d{2}:\d{2}:\d{2},\d{8},IDR,1000000,7000,700,0,992300,SUCCESS,/,
          ),
        ],
        trailer: "T,1,1000000,992300",
      },
    });
    // The file carries the payer's PAN: the recorded exchange keeps only its last four digits.
    expect(report.exchange.responseBody).not.toMatch(/9360\d{12}/);
    expect(report.exchange.responseBody).toMatch(/,SUCCESS,\*{4}\d{4}"/);
  });

  it("refreshes the token once on 401xx01 and retries the request", async () => {
    const client = createSnapQrClient(clientOptions());
    await client.queryQr({ partnerReferenceNo: "warm-up" });
    simulator().revokeTokens();
    const answer = await client.generateQr({ partnerReferenceNo: "pay-refresh", amountMinorUnits: 100_000n });
    expect(answer.ok).toBe(true);
    expect(answer.exchanges.map((e) => `${e.operation} ${e.responseStatus}`)).toEqual([
      "generateQr 401",
      "accessToken 200",
      "generateQr 200",
    ]);
    expect(simulator().stats()).toMatchObject({ charges: 1, requests: { "access-token": 2 } });
  });

  it("refreshes the token before it expires (60 s margin), without a 401", async () => {
    const client = createSnapQrClient(clientOptions());
    await client.queryQr({ partnerReferenceNo: "t-1" });
    clock.advance(839_000);
    await client.queryQr({ partnerReferenceNo: "t-1" });
    expect(simulator().stats().requests["access-token"]).toBe(1);
    clock.advance(2_000);
    const later = await client.queryQr({ partnerReferenceNo: "t-1" });
    expect(later.exchanges.map((e) => e.operation)).toEqual(["accessToken", "queryQr"]);
    expect(simulator().stats().requests["access-token"]).toBe(2);
  });

  it("returns injected 5xx answers as answers, not transport errors", async () => {
    // Retrying is off here: what comes back after the last attempt is the subject.
    const client = createSnapQrClient(clientOptions({ retry: { maxAttempts: 1 } }));
    simulator().configure({ failNext: { count: 1, responseCode: "5004700" } });
    const answer = await client.generateQr({ partnerReferenceNo: "pay-500", amountMinorUnits: 100_000n });
    expect(answer).toMatchObject({ ok: false, responseCode: "5004700", httpStatus: 500 });
  });
});

describe("transport failures", () => {
  it("connection refused: sent false", async () => {
    const port = await unusedPort();
    const client = createSnapQrClient(clientOptions({ baseUrl: `http://127.0.0.1:${port}` }));
    const error = await transportRejection(
      client.generateQr({ partnerReferenceNo: "x", amountMinorUnits: 100n }),
    );
    expect(error.sent).toBe(false);
    expect(error.exchange.transportError).toContain("ECONNREFUSED");
  });

  it("connection reset after the request was read: sent true", async () => {
    const client = createSnapQrClient(clientOptions());
    await client.queryQr({ partnerReferenceNo: "warm-up" });
    simulator().configure({ resetConnections: 1 });
    const error = await transportRejection(
      client.generateQr({ partnerReferenceNo: "pay-reset", amountMinorUnits: 100n }),
    );
    expect(error.sent).toBe(true);
    expect(error.exchange).toMatchObject({
      operation: "generateQr",
      requestBody: expect.stringContaining("pay-reset"),
    });
  });

  it("timeout: sent true, and the bank may still have created the QR", async () => {
    const client = createSnapQrClient(clientOptions({ timeoutMs: 100 }));
    await client.queryQr({ partnerReferenceNo: "warm-up" });
    simulator().configure({ latencyMs: 300 });
    const error = await transportRejection(
      client.generateQr({ partnerReferenceNo: "pay-slow", amountMinorUnits: 100n }),
    );
    expect(error).toMatchObject({ sent: true, exchange: { transportError: "timed out" } });
    await waitFor(() => (simulator().stats().charges === 1 ? true : undefined));
  });

  it("aborted before sending: sent false", async () => {
    const client = createSnapQrClient(clientOptions());
    const error = await transportRejection(
      client.queryQr({ partnerReferenceNo: "x", signal: AbortSignal.abort() }),
    );
    expect(error.sent).toBe(false);
  });

  it("an answer that is not SNAP JSON: sent true", async () => {
    const gateway: typeof fetch = async (input, init) =>
      String(input).endsWith("/qr-mpm-generate")
        ? new Response("<html>502 Bad Gateway</html>", { status: 502 })
        : fetch(input, init);
    const client = createSnapQrClient(clientOptions({ fetch: gateway }));
    const error = await transportRejection(
      client.generateQr({ partnerReferenceNo: "pay-html", amountMinorUnits: 100n }),
    );
    expect(error.sent).toBe(true);
    expect(error.exchange).toMatchObject({
      responseStatus: 502,
      transportError: "malformed answer: not JSON (HTTP 502)",
    });
  });
});
