import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQrisSimulator, type QrisSimulator } from "./simulator.ts";
import { loadTestKeys } from "./test-keys.ts";
import { requestToken } from "./test-support.ts";

describe("POST /v1.0/access-token/b2b", () => {
  let simulator: QrisSimulator;
  beforeAll(async () => {
    simulator = await createQrisSimulator();
  });
  afterAll(() => simulator.close());

  it("issues a Bearer token for a correctly signed request", async () => {
    const { status, body } = await requestToken(simulator);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      responseCode: "2007300",
      responseMessage: "Successful",
      tokenType: "Bearer",
      expiresIn: "900",
    });
    expect(body.accessToken).toEqual(expect.any(String));
  });

  it("refuses a signature made with another key: 4017300", async () => {
    const { status, body } = await requestToken(simulator, { privateKey: loadTestKeys().bankPrivateKey });
    expect(status).toBe(401);
    expect(body).toEqual({ responseCode: "4017300", responseMessage: "Unauthorized [Signature]" });
  });

  it("refuses an unknown client key: 4017300", async () => {
    const { body } = await requestToken(simulator, { clientId: "someone-else" });
    expect(body.responseCode).toBe("4017300");
  });

  it("requires X-SIGNATURE: 4007302", async () => {
    const { status, body } = await requestToken(simulator, { headers: { "X-SIGNATURE": "" } });
    expect(status).toBe(400);
    expect(body.responseCode).toBe("4007302");
  });

  it("rejects a malformed X-TIMESTAMP: 4007301", async () => {
    const { body } = await requestToken(simulator, { headers: { "X-TIMESTAMP": "2024-03-05 10:00:00" } });
    expect(body.responseCode).toBe("4007301");
  });

  it("rejects a timestamp more than 5 minutes off: 4017300", async () => {
    const { body } = await requestToken(simulator, { now: new Date(Date.now() - 6 * 60_000) });
    expect(body.responseCode).toBe("4017300");
  });
});
