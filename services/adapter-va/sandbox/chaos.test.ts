import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createVaSimulator, type VaSimulator } from "./simulator.ts";
import { chargeBody, control, midtrans } from "./test-support.ts";

describe("fault injection (/sim/config)", () => {
  let simulator: VaSimulator;
  beforeAll(async () => {
    simulator = await createVaSimulator();
  });
  beforeEach(() => simulator.reset());
  afterAll(() => simulator.close());

  it("failNext answers the chosen status_code for the next n API requests, creating nothing", async () => {
    const set = await control(simulator, "POST", "/sim/config", {
      failNext: { count: 2, statusCode: "503" },
    });
    expect(set.body).toMatchObject({ failNext: { count: 2, statusCode: "503" } });
    expect(await midtrans(simulator, "POST", "/v2/charge", chargeBody("f-1"))).toMatchObject({
      status: 503,
      body: { status_code: "503" },
    });
    expect((await midtrans(simulator, "GET", "/v2/f-1/status")).body.status_code).toBe("503");
    expect(simulator.stats().charges).toBe(0);
    expect((await midtrans(simulator, "POST", "/v2/charge", chargeBody("f-1"))).body.status_code).toBe("201");
    expect(simulator.stats().charges).toBe(1);
  });

  it("failNext.httpStatus wraps the error in another HTTP status, as Midtrans does with 200", async () => {
    await control(simulator, "POST", "/sim/config", { failNext: { statusCode: "500", httpStatus: 200 } });
    expect(await midtrans(simulator, "POST", "/v2/charge", chargeBody("f-2"))).toMatchObject({
      status: 200,
      body: { status_code: "500" },
    });
  });

  it("resetConnections destroys the connection after reading the request, without processing it", async () => {
    await control(simulator, "POST", "/sim/config", { resetConnections: 1 });
    await expect(midtrans(simulator, "POST", "/v2/charge", chargeBody("r-1"))).rejects.toThrow(TypeError);
    expect(simulator.stats()).toMatchObject({ charges: 0, requests: { charge: 1 } });
    expect((await midtrans(simulator, "POST", "/v2/charge", chargeBody("r-1"))).body.status_code).toBe("201");
  });

  it("latencyMs delays answers", async () => {
    await control(simulator, "POST", "/sim/config", { latencyMs: 150 });
    const started = performance.now();
    expect((await midtrans(simulator, "POST", "/v2/charge", chargeBody("l-1"))).body.status_code).toBe("201");
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("rejects config it does not understand, loudly", async () => {
    const typo = await control(simulator, "POST", "/sim/config", { failnext: { count: 1 } });
    expect(typo).toMatchObject({ status: 400, body: { error: 'unknown config field "failnext"' } });
    expect(
      (await control(simulator, "POST", "/sim/config", { failNext: { statusCode: "5000000" } })).status,
    ).toBe(400);
    expect((await control(simulator, "POST", "/sim/config", { duplicateCallbacks: "yes" })).status).toBe(400);
    expect((await control(simulator, "POST", "/sim/nothing")).status).toBe(404);
  });
});
