import { createTestClock } from "@paymesh/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQrisSimulator, type QrisSimulator } from "./simulator.ts";
import { accessToken, generateBody, snapPost } from "./test-support.ts";

const GENERATE = "/v1.0/qr/qr-mpm-generate";
const QUERY = "/v1.0/qr/qr-mpm-query";
const CANCEL = "/v1.0/qr/qr-mpm-cancel";

describe("query and cancel", () => {
  // One clock for the simulator and the requests, so the test can move time past a QR's validity.
  const clock = createTestClock();
  let simulator: QrisSimulator;
  let token: string;
  const post = (path: string, payload: unknown) =>
    snapPost(simulator, path, token, payload, { now: clock.now() });
  const query = (reference: string) =>
    post(QUERY, { originalPartnerReferenceNo: reference, serviceCode: "47" });
  const cancel = (reference: string) =>
    post(CANCEL, {
      originalPartnerReferenceNo: reference,
      merchantId: "PAYMESHSIM0001",
      reason: "customer left",
    });

  beforeAll(async () => {
    simulator = await createQrisSimulator({ clock: clock.now, newId: sequence() });
    token = await accessToken(simulator, clock.now());
  });
  afterAll(() => simulator.close());

  it("reports a new QR as pending, with its amount and QR", async () => {
    const generated = await post(GENERATE, generateBody("q-1", "25000.50"));
    const { status, body } = await query("q-1");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      responseCode: "2005100",
      originalReferenceNo: generated.body.referenceNo,
      originalPartnerReferenceNo: "q-1",
      serviceCode: "47",
      latestTransactionStatus: "03",
      transactionStatusDesc: "Pending",
      amount: { value: "25000.50", currency: "IDR" },
      additionalInfo: { qrContent: generated.body.qrContent, validityPeriod: "2024-03-05T10:30:00+07:00" },
    });
    expect(body.paidTime).toBeUndefined();
  });

  it("finds by referenceNo too, and not when the two references disagree", async () => {
    const generated = await post(GENERATE, generateBody("q-2"));
    const byReference = await post(QUERY, {
      originalReferenceNo: generated.body.referenceNo,
      serviceCode: "47",
    });
    expect(byReference.body.originalPartnerReferenceNo).toBe("q-2");
    const mismatch = await post(QUERY, {
      originalReferenceNo: generated.body.referenceNo,
      originalPartnerReferenceNo: "q-1",
      serviceCode: "47",
    });
    expect(mismatch.body.responseCode).toBe("4045101");
  });

  it("answers 4045101 for an unknown payment", async () => {
    const { status, body } = await query("never-made");
    expect(status).toBe(404);
    expect(body.responseCode).toBe("4045101");
  });

  it("reports paid with paidTime after the customer pays", async () => {
    await post(GENERATE, generateBody("q-paid"));
    await simulator.pay({ partnerReferenceNo: "q-paid" });
    const { body } = await query("q-paid");
    expect(body).toMatchObject({
      latestTransactionStatus: "00",
      transactionStatusDesc: "Success",
      paidTime: "2024-03-05T10:00:00+07:00",
    });
  });

  it("cancels a pending QR (twice is still success) and reports it cancelled", async () => {
    await post(GENERATE, generateBody("c-1"));
    const first = await cancel("c-1");
    expect(first.body).toMatchObject({
      responseCode: "2007700",
      latestTransactionStatus: "05",
      originalPartnerReferenceNo: "c-1",
    });
    expect((await cancel("c-1")).body.responseCode).toBe("2007700");
    expect((await query("c-1")).body.latestTransactionStatus).toBe("05");
  });

  it("refuses to cancel a paid QR (4037715) or an unknown one (4047701)", async () => {
    await post(GENERATE, generateBody("c-paid"));
    await simulator.pay({ partnerReferenceNo: "c-paid" });
    expect(await cancel("c-paid")).toMatchObject({ status: 403, body: { responseCode: "4037715" } });
    expect(await cancel("c-unknown")).toMatchObject({ status: 404, body: { responseCode: "4047701" } });
  });

  it("expires a QR past its validityPeriod: 06 Expired, not cancellable (4037700)", async () => {
    const validityPeriod = "2024-03-05T10:05:00+07:00";
    await post(GENERATE, { ...generateBody("q-exp"), validityPeriod });
    clock.advance(6 * 60_000);
    token = await accessToken(simulator, clock.now());
    expect((await query("q-exp")).body).toMatchObject({
      latestTransactionStatus: "06",
      transactionStatusDesc: "Expired",
    });
    expect((await cancel("q-exp")).body.responseCode).toBe("4037700");
  });

  it("refuses a token once it is past its 900 s: 4014701 (4015101 on query)", async () => {
    clock.advance(901_000);
    const { status, body } = await post(GENERATE, generateBody("q-late"));
    expect(status).toBe(401);
    expect(body.responseCode).toBe("4014701");
    expect((await query("q-1")).body.responseCode).toBe("4015101");
    token = await accessToken(simulator, clock.now());
    expect((await query("q-1")).body.responseCode).toBe("2005100");
  });
});

function sequence(): () => string {
  let n = 0;
  return () => {
    n += 1;
    return `SIM${String(n).padStart(8, "0")}`;
  };
}
