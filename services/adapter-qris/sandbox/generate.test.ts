import { decodeQris } from "@paymesh/qris";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQrisSimulator, type QrisSimulator } from "./simulator.ts";
import { accessToken, control, generateBody, snapPost } from "./test-support.ts";

const GENERATE = "/v1.0/qr/qr-mpm-generate";

describe("POST /v1.0/qr/qr-mpm-generate", () => {
  let simulator: QrisSimulator;
  let token: string;
  beforeAll(async () => {
    simulator = await createQrisSimulator();
    token = await accessToken(simulator);
  });
  afterAll(() => simulator.close());

  it("answers a dynamic QRIS for the amount", async () => {
    simulator.reset();
    const { status, body } = await snapPost(simulator, GENERATE, token, generateBody("gen-ok", "10000.00"));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      responseCode: "2004700",
      partnerReferenceNo: "gen-ok",
      merchantName: "PAYMESH TEST MERCHANT",
      terminalId: "TERM01",
    });
    expect(body.referenceNo).toEqual(expect.any(String));
    const qr = decodeQris(String(body.qrContent));
    expect(qr.pointOfInitiation).toBe("dynamic");
    expect(qr.fields.find((field) => field.tag === "01")?.value).toBe("12");
    expect(qr.amount).toBe("10000");
    expect(qr.nmid).toBe("ID1020000000001");
    expect(qr.additionalData).toMatchObject({ billNumber: "gen-ok", terminalLabel: "TERM01" });
    expect(simulator.stats().charges).toBe(1);
  });

  it("refuses a duplicate partnerReferenceNo with 4094701 and creates nothing", async () => {
    simulator.reset();
    await snapPost(simulator, GENERATE, token, generateBody("gen-dup"));
    const { status, body } = await snapPost(simulator, GENERATE, token, generateBody("gen-dup"));
    expect(status).toBe(409);
    expect(body.responseCode).toBe("4094701");
    const stats = await control(simulator, "GET", "/sim/stats");
    expect(stats.body).toMatchObject({ charges: 1, requests: { "qr-mpm-generate": 2 } });
  });

  it("refuses a reused X-EXTERNAL-ID the same day with 4094700", async () => {
    await snapPost(simulator, GENERATE, token, generateBody("gen-ext-1"), { externalId: "ext-same" });
    const { body } = await snapPost(simulator, GENERATE, token, generateBody("gen-ext-2"), {
      externalId: "ext-same",
    });
    expect(body.responseCode).toBe("4094700");
  });

  it("refuses a bad HMAC and a body changed after signing with 4014700", async () => {
    const wrongSecret = await snapPost(simulator, GENERATE, token, generateBody("gen-hmac"), {
      clientSecret: "wrong",
    });
    expect(wrongSecret).toMatchObject({ status: 401, body: { responseCode: "4014700" } });
    const tampered = JSON.stringify(generateBody("gen-hmac", "1.00"));
    const changed = await snapPost(simulator, GENERATE, token, generateBody("gen-hmac"), {
      sentBody: tampered,
    });
    expect(changed.body.responseCode).toBe("4014700");
  });

  it("refuses an unknown token with 4014701", async () => {
    const { status, body } = await snapPost(simulator, GENERATE, "not-a-token", generateBody("gen-token"));
    expect(status).toBe(401);
    expect(body.responseCode).toBe("4014701");
  });

  it("names a missing field with 4004702 and a malformed one with 4004701", async () => {
    const { partnerReferenceNo: _, ...withoutReference } = generateBody("gen-missing");
    const missing = await snapPost(simulator, GENERATE, token, withoutReference);
    expect(missing).toMatchObject({ status: 400, body: { responseCode: "4004702" } });
    expect(missing.body.responseMessage).toContain("{partnerReferenceNo}");
    const noDecimals = await snapPost(simulator, GENERATE, token, generateBody("gen-format", "10000"));
    expect(noDecimals.body).toMatchObject({
      responseCode: "4004701",
      responseMessage: "Invalid Field Format {amount.value}",
    });
    const zero = await snapPost(simulator, GENERATE, token, generateBody("gen-zero", "0.00"));
    expect(zero.body.responseCode).toBe("4004701");
    const noPartner = await snapPost(simulator, GENERATE, token, generateBody("gen-h"), {
      headers: { "X-PARTNER-ID": undefined },
    });
    expect(noPartner.body.responseCode).toBe("4004702");
  });

  it("refuses another merchant's id with 4044708", async () => {
    const body = { ...generateBody("gen-merchant"), merchantId: "SOMEONE-ELSE" };
    expect((await snapPost(simulator, GENERATE, token, body)).body.responseCode).toBe("4044708");
  });

  it("declines magic amount 666.00 with 4034714 and creates nothing", async () => {
    simulator.reset();
    const { status, body } = await snapPost(simulator, GENERATE, token, generateBody("gen-666", "666.00"));
    expect(status).toBe(403);
    expect(body.responseCode).toBe("4034714");
    expect(simulator.stats().charges).toBe(0);
  });

  it("fails magic amount 500.13 with 5004700", async () => {
    const { status, body } = await snapPost(simulator, GENERATE, token, generateBody("gen-500", "500.13"));
    expect(status).toBe(500);
    expect(body.responseCode).toBe("5004700");
  });

  it("creates magic amount 504.04, then answers 5044700: the query finds the charge", async () => {
    simulator.reset();
    const { body } = await snapPost(simulator, GENERATE, token, generateBody("gen-504", "504.04"));
    expect(body.responseCode).toBe("5044700");
    expect(simulator.stats().charges).toBe(1);
    const query = { originalPartnerReferenceNo: "gen-504", serviceCode: "47" };
    const found = await snapPost(simulator, "/v1.0/qr/qr-mpm-query", token, query);
    expect(found.body).toMatchObject({ responseCode: "2005100", latestTransactionStatus: "03" });
  });
});
