import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRemittanceSimulator, type RemittanceSimulator } from "./index.ts";
import { control, makeTransfer, wiseRequest } from "./test-support.ts";

let simulator: RemittanceSimulator;
let quotes: string;
const quoteBody = '{"sourceCurrency":"IDR","targetCurrency":"GBP","sourceAmount":1500000}';

beforeAll(async () => {
  simulator = await createRemittanceSimulator();
  quotes = `/v3/profiles/${simulator.profileId}/quotes`;
});
beforeEach(() => simulator.reset());
afterAll(() => simulator.close());

describe("fault injection (/sim/config)", () => {
  it("failNext answers the chosen status for the next n requests of an endpoint, processing nothing", async () => {
    const set = await control(simulator, "POST", "/sim/config", {
      failNext: { count: 1, status: 503, code: "SERVICE_UNAVAILABLE", endpoint: "create-transfer" },
    });
    expect(set.body).toMatchObject({ failNext: { count: 1, status: 503, endpoint: "create-transfer" } });
    // The quote and recipient calls in front do not use up a fault aimed at transfers.
    const made = await makeTransfer(simulator, { fund: false });
    expect(made.transfer).toMatchObject({ status: 503, body: { errors: [{ code: "SERVICE_UNAVAILABLE" }] } });
    expect(simulator.stats()).toMatchObject({ charges: 0, quotes: 1 });
    const again = await makeTransfer(simulator, { customerTransactionId: made.customerTransactionId });
    expect(again.transfer.status).toBe(200);
  });

  it("failNext without an endpoint hits whatever comes next", async () => {
    await control(simulator, "POST", "/sim/config", { failNext: { count: 2 } });
    for (let i = 0; i < 2; i += 1) {
      expect((await wiseRequest(simulator, "POST", quotes, quoteBody)).status).toBe(500);
    }
    expect((await wiseRequest(simulator, "POST", quotes, quoteBody)).status).toBe(200);
  });

  it("resetConnections destroys the connection after reading the request, without processing it", async () => {
    await control(simulator, "POST", "/sim/config", { resetConnections: 1 });
    await expect(wiseRequest(simulator, "POST", quotes, quoteBody)).rejects.toThrow(TypeError);
    expect(simulator.stats()).toMatchObject({ quotes: 0, requests: { "create-quote": 1 } });
    expect((await wiseRequest(simulator, "POST", quotes, quoteBody)).status).toBe(200);
  });

  it("latencyMs delays answers", async () => {
    await control(simulator, "POST", "/sim/config", { latencyMs: 150 });
    const started = performance.now();
    expect((await wiseRequest(simulator, "POST", quotes, quoteBody)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("rejects config it does not understand, loudly", async () => {
    expect(await control(simulator, "POST", "/sim/config", { failnext: {} })).toMatchObject({
      status: 400,
      body: { error: 'unknown config field "failnext"' },
    });
    expect((await control(simulator, "POST", "/sim/config", { failNext: { status: 200 } })).status).toBe(400);
    expect((await control(simulator, "POST", "/sim/config", { duplicateCallbacks: "yes" })).status).toBe(400);
  });

  it("answers unknown routes in Wise's error envelope and unknown control routes with an error", async () => {
    const missing = await wiseRequest(simulator, "GET", "/v2/nothing");
    expect(missing).toMatchObject({ status: 404, body: { errors: [{ code: "NOT_FOUND" }] } });
    expect((await wiseRequest(simulator, "GET", "/v1/accounts")).status).toBe(405);
    expect((await control(simulator, "POST", "/sim/nothing")).status).toBe(404);
    expect((await wiseRequest(simulator, "POST", quotes, "{not json")).status).toBe(400);
  });
});
