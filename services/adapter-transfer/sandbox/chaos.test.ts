import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTransferSimulator, type TransferSimulator } from "./simulator.ts";
import { api, control, disbursementBody } from "./test-support.ts";

describe("fault injection (/sim/config)", () => {
  let simulator: TransferSimulator;
  beforeAll(async () => {
    simulator = await createTransferSimulator();
  });
  beforeEach(() => simulator.reset());
  afterAll(() => simulator.close());

  it("failNext answers the chosen error code for the next n API requests, processing nothing", async () => {
    const set = await control(simulator, "POST", "/sim/config", {
      failNext: { count: 2, error_code: "SERVER_ERROR" },
    });
    expect(set.body).toMatchObject({ failNext: { count: 2, error_code: "SERVER_ERROR" } });
    const body = disbursementBody({ external_id: "pay_f" });
    for (let i = 0; i < 2; i += 1) {
      const failed = await api(simulator, "POST", "/disbursements", { body, idempotencyKey: "k" });
      expect(failed).toMatchObject({ status: 500, body: { error_code: "SERVER_ERROR" } });
    }
    expect(simulator.stats().charges).toBe(0);
    // Nothing was created, so the key is still unspent: the documented "safe to retry with the same key".
    const third = await api(simulator, "POST", "/disbursements", { body, idempotencyKey: "k" });
    expect(third.body.status).toBe("PENDING");
    expect(simulator.stats().charges).toBe(1);
  });

  it("failNext can inject any documented error code with its HTTP status", async () => {
    await simulator.configure({ failNext: { count: 1, error_code: "REQUEST_FORBIDDEN_ERROR" } });
    const answer = await api(simulator, "GET", "/disbursements/x");
    expect(answer).toMatchObject({ status: 403, body: { error_code: "REQUEST_FORBIDDEN_ERROR" } });
  });

  it("resetConnections destroys the connection after reading the request, without processing it", async () => {
    await control(simulator, "POST", "/sim/config", { resetConnections: 1 });
    await expect(
      api(simulator, "POST", "/disbursements", { body: disbursementBody(), idempotencyKey: "r" }),
    ).rejects.toThrow(TypeError);
    expect(simulator.stats()).toMatchObject({ charges: 0, requests: { "create-disbursement": 1 } });
    const next = await api(simulator, "POST", "/disbursements", {
      body: disbursementBody(),
      idempotencyKey: "r",
    });
    expect(next.status).toBe(200);
  });

  it("latencyMs delays answers", async () => {
    await control(simulator, "POST", "/sim/config", { latencyMs: 150 });
    const started = performance.now();
    const { status } = await api(simulator, "GET", "/disbursements/none");
    expect(status).toBe(404);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("rejects config it does not understand, loudly", async () => {
    const cases: unknown[] = [
      { failnext: { count: 1 } },
      { failNext: { count: 1, error_code: "TEAPOT" } },
      { failNext: { count: -1 } },
      { latencyMs: "slow" },
      { duplicateCallbacks: "yes" },
      { idempotencyMode: "sometimes" },
      { notifyUrl: "not a url" },
    ];
    for (const body of cases) {
      expect((await control(simulator, "POST", "/sim/config", body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await control(simulator, "POST", "/sim/nothing")).status).toBe(404);
  });
});
