import { createTestClock } from "@paymesh/test-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRemittanceSimulator, type RemittanceSimulator } from "./index.ts";
import { control, wiseRequest } from "./test-support.ts";

const clock = createTestClock();
let simulator: RemittanceSimulator;
let quotes: string;

beforeAll(async () => {
  simulator = await createRemittanceSimulator({
    clock: clock.now,
    newId: (() => {
      let n = 0;
      return () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
    })(),
  });
  quotes = `/v3/profiles/${simulator.profileId}/quotes`;
});
beforeEach(() => simulator.reset());
afterAll(() => simulator.close());

describe("POST /v3/profiles/{profileId}/quotes", () => {
  it("prices from a source amount: fee off first, rate as an exact number, 30-minute lock", async () => {
    const answer = await wiseRequest(
      simulator,
      "POST",
      quotes,
      '{"sourceCurrency":"IDR","targetCurrency":"GBP","sourceAmount":1500000.00}',
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      sourceCurrency: "IDR",
      targetCurrency: "GBP",
      rateType: "FIXED",
      providedAmountType: "SOURCE",
      status: "PENDING",
      createdTime: "2024-03-05T03:00:00Z",
      rateExpirationTime: "2024-03-05T03:30:00Z",
    });
    expect(answer.body.id).toMatch(/^[0-9a-f-]{36}$/);
    // The bytes, not a float round trip: 0.0000504 and amounts at IDR's two decimals.
    expect(answer.text).toContain('"rate":0.0000504,');
    expect(answer.text).toContain('"sourceAmount":1500000.00,');
    // Fee: Rp5.000 fixed + 0.45% of Rp1.500.000 = Rp11.750; (1,500,000 − 11,750) × 0.0000504 = 75.00 GBP.
    expect(answer.text).toContain(
      '"fee":{"transferwise":11750.00,"payIn":0.00,"discount":0.00,"partner":0.00,"total":11750.00},"sourceAmount":1500000.00,"targetAmount":75.00',
    );
    expect(answer.body.paymentOptions).toEqual([
      expect.objectContaining({ payIn: "BALANCE" }),
      expect.objectContaining({ payIn: "BANK_TRANSFER" }),
    ]);
  });

  it("prices from a target amount, with JPY at zero decimals", async () => {
    const answer = await wiseRequest(
      simulator,
      "POST",
      quotes,
      '{"sourceCurrency":"USD","targetCurrency":"JPY","targetAmount":10000}',
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ providedAmountType: "TARGET" });
    expect(answer.text).toContain('"targetAmount":10000,');
    // 10000 / 149.62 = 66.84 (rounded up) + 0.50 fixed, grossed up for 0.45%: 67.65 USD, fee 0.81.
    expect(answer.text).toContain(
      '"fee":{"transferwise":0.81,"payIn":0.00,"discount":0.00,"partner":0.00,"total":0.81},"sourceAmount":67.65,"targetAmount":10000',
    );
  });

  it("itemizes a partner fee when one is configured", async () => {
    const withPartner = await createRemittanceSimulator({ partnerFeeBps: 100n });
    try {
      const answer = await wiseRequest(
        withPartner,
        "POST",
        `/v3/profiles/${withPartner.profileId}/quotes`,
        '{"sourceCurrency":"SGD","targetCurrency":"AUD","sourceAmount":100}',
      );
      expect(answer.text).toContain(
        '"fee":{"transferwise":1.15,"payIn":0.00,"discount":0.00,"partner":1.00,"total":2.15}',
      );
    } finally {
      await withPartner.close();
    }
  });

  it("answers NOT_VALID on the field at fault", async () => {
    const cases: Array<[string, string]> = [
      ['{"sourceCurrency":"IDR","targetCurrency":"XTS","sourceAmount":100000}', "targetCurrency"],
      ['{"sourceCurrency":"IDR","targetCurrency":"CHF","sourceAmount":100000}', "targetCurrency"],
      ['{"sourceCurrency":"GBP","targetCurrency":"IDR","sourceAmount":100}', "sourceCurrency"],
      ['{"sourceCurrency":"USD","targetCurrency":"JPY","targetAmount":100.5}', "targetAmount"],
      [
        '{"sourceCurrency":"USD","targetCurrency":"JPY","sourceAmount":10,"targetAmount":1000}',
        "sourceAmount",
      ],
      ['{"sourceCurrency":"USD","targetCurrency":"JPY","sourceAmount":0.40}', "sourceAmount"],
    ];
    for (const [body, path] of cases) {
      const answer = await wiseRequest(simulator, "POST", quotes, body);
      expect(answer.status, body).toBe(422);
      expect(answer.body.errors, body).toEqual([expect.objectContaining({ code: "NOT_VALID", path })]);
    }
    expect(simulator.stats().quotes).toBe(0);
  });

  it("refuses a bad token (401, OAuth style) and another profile (403)", async () => {
    const body = '{"sourceCurrency":"IDR","targetCurrency":"GBP","sourceAmount":100000}';
    const unauthenticated = await wiseRequest(simulator, "POST", quotes, body, "wrong-token");
    expect(unauthenticated).toMatchObject({ status: 401, body: { error: "invalid_token" } });
    const otherProfile = await wiseRequest(simulator, "POST", "/v3/profiles/99/quotes", body);
    expect(otherProfile.status).toBe(403);
  });
});

describe("GET /v3/profiles/{profileId}/quotes/{id} and expiry", () => {
  it("expires a quote by the injected clock", async () => {
    const created = await wiseRequest(
      simulator,
      "POST",
      quotes,
      '{"sourceCurrency":"SGD","targetCurrency":"EUR","sourceAmount":250}',
    );
    const path = `${quotes}/${String(created.body.id)}`;
    clock.advance(29 * 60_000);
    expect((await wiseRequest(simulator, "GET", path)).body.status).toBe("PENDING");
    clock.advance(60_000);
    expect((await wiseRequest(simulator, "GET", path)).body.status).toBe("EXPIRED");
  });

  it("expires a quote on POST /sim/expire-quote, and 404s an unknown one", async () => {
    const created = await wiseRequest(
      simulator,
      "POST",
      quotes,
      '{"sourceCurrency":"SGD","targetCurrency":"EUR","sourceAmount":250}',
    );
    const expired = await control(simulator, "POST", "/sim/expire-quote", { quoteId: created.body.id });
    expect(expired.body).toMatchObject({ status: "EXPIRED" });
    expect((await wiseRequest(simulator, "GET", `${quotes}/${String(created.body.id)}`)).body.status).toBe(
      "EXPIRED",
    );
    const unknown = await wiseRequest(simulator, "GET", `${quotes}/2dc42735-4b09-4177-8744-000000000000`);
    expect(unknown).toMatchObject({ status: 404, body: { errors: [{ code: "quote.not.found" }] } });
  });
});
