import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createQrisSimulator, type QrisSimulator } from "./simulator.ts";
import { accessToken, control, generateBody, snapPost } from "./test-support.ts";

const GENERATE = "/v1.0/qr/qr-mpm-generate";

describe("fault injection (/sim/config)", () => {
  let simulator: QrisSimulator;
  let token: string;
  beforeAll(async () => {
    simulator = await createQrisSimulator();
    token = await accessToken(simulator);
  });
  beforeEach(() => simulator.reset());
  afterAll(() => simulator.close());

  it("failNext answers the chosen code for the next n transaction requests, creating nothing", async () => {
    const set = await control(simulator, "POST", "/sim/config", {
      failNext: { count: 2, responseCode: "5004700" },
    });
    expect(set.body).toMatchObject({ failNext: { count: 2, responseCode: "5004700" } });
    // The token endpoint is not a transaction endpoint: it does not consume an injected failure.
    const fresh = await accessToken(simulator);
    for (const reference of ["f-1", "f-2"]) {
      const { status, body } = await snapPost(simulator, GENERATE, fresh, generateBody(reference));
      expect(status).toBe(500);
      expect(body.responseCode).toBe("5004700");
    }
    expect(simulator.stats().charges).toBe(0);
    const third = await snapPost(simulator, GENERATE, fresh, generateBody("f-1"));
    expect(third.body.responseCode).toBe("2004700");
    expect(simulator.stats().charges).toBe(1);
  });

  it("resetConnections destroys the connection after reading the request, without processing it", async () => {
    await control(simulator, "POST", "/sim/config", { resetConnections: 1 });
    await expect(snapPost(simulator, GENERATE, token, generateBody("r-1"))).rejects.toThrow(TypeError);
    const stats = simulator.stats();
    expect(stats.requests["qr-mpm-generate"]).toBe(1);
    expect(stats.charges).toBe(0);
    const next = await snapPost(simulator, GENERATE, token, generateBody("r-1"));
    expect(next.body.responseCode).toBe("2004700");
  });

  it("latencyMs delays answers", async () => {
    await control(simulator, "POST", "/sim/config", { latencyMs: 150 });
    const started = performance.now();
    const { body } = await snapPost(simulator, GENERATE, token, generateBody("l-1"));
    expect(body.responseCode).toBe("2004700");
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("revoke-tokens makes every issued token invalid", async () => {
    const own = await accessToken(simulator);
    await control(simulator, "POST", "/sim/revoke-tokens");
    const { body } = await snapPost(simulator, GENERATE, own, generateBody("t-1"));
    expect(body.responseCode).toBe("4014701");
    token = await accessToken(simulator);
  });

  it("rejects config it does not understand, loudly", async () => {
    const typo = await control(simulator, "POST", "/sim/config", { failnext: { count: 1 } });
    expect(typo).toMatchObject({ status: 400, body: { error: 'unknown config field "failnext"' } });
    const badCode = await control(simulator, "POST", "/sim/config", {
      failNext: { count: 1, responseCode: "500" },
    });
    expect(badCode.status).toBe(400);
  });

  it("answers unknown routes in the SNAP error shape", async () => {
    const missing = await fetch(`${simulator.url}/v1.0/qr/qr-mpm-nothing`, { method: "POST" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ responseCode: "4040000", responseMessage: "Not Found" });
    const wrongMethod = await fetch(`${simulator.url}${GENERATE}`);
    expect(wrongMethod.status).toBe(405);
  });
});
