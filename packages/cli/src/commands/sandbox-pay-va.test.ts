import { describe, expect, it } from "vitest";
import { startControlApi } from "../testing/control-api-stub.ts";
import { spawnCli } from "../testing/spawn-cli.ts";

describe("paymesh sandbox pay va", () => {
  it("POSTs the payment id as Midtrans order_id to /sim/pay and prints the answer", async () => {
    const answer = { order_id: "pay_1", transaction_status: "settlement", notified: 200 };
    const api = await startControlApi(200, JSON.stringify(answer));
    const run = await spawnCli(["sandbox", "pay", "va", "pay_1", "--sandbox-url", `${api.url}/`]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(api.received).toEqual([
      { method: "POST", url: "/sim/pay", contentType: "application/json", body: { order_id: "pay_1" } },
    ]);
    expect(JSON.parse(run.stdout)).toEqual(answer);
  });

  it("takes the URL from PAYMESH_VA_SANDBOX_URL, not the QRIS simulator's variable", async () => {
    const api = await startControlApi(200, "{}");
    const qris = await startControlApi(200, "{}");
    const run = await spawnCli(["sandbox", "pay", "va", "pay_2"], {
      env: { PAYMESH_VA_SANDBOX_URL: api.url, PAYMESH_SANDBOX_URL: qris.url },
    });
    expect(run.code).toBe(0);
    expect(api.received[0]?.body).toEqual({ order_id: "pay_2" });
    expect(qris.received).toEqual([]);
  });

  it("reports the simulator's refusal in one line, exit 1", async () => {
    const api = await startControlApi(409, '{"error":"transaction pay_3 is not pending"}');
    const run = await spawnCli(["sandbox", "pay", "va", "pay_3", "--sandbox-url", api.url]);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toEqual([
      `paymesh: POST ${api.url}/sim/pay answered 409: {"error":"transaction pay_3 is not pending"}`,
    ]);
  });

  it("needs the payment id", async () => {
    const run = await spawnCli(["sandbox", "pay", "va", "--sandbox-url", "http://127.0.0.1:1"]);
    expect(run.code).toBe(2);
    expect(run.stderrLines[0]).toBe("paymesh: sandbox pay va: missing <payment-id>");
  });
});
