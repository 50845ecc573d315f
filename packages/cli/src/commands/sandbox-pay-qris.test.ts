import { describe, expect, it } from "vitest";
import { startControlApi } from "../testing/control-api-stub.ts";
import { spawnCli } from "../testing/spawn-cli.ts";

describe("paymesh sandbox pay qris", () => {
  it("POSTs the payment id as partnerReferenceNo to /sim/pay and prints the answer", async () => {
    const api = await startControlApi(200, '{"partnerReferenceNo":"pay_1","status":"00"}');
    const run = await spawnCli(["sandbox", "pay", "qris", "pay_1", "--sandbox-url", `${api.url}/`]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(api.received).toEqual([
      {
        method: "POST",
        url: "/sim/pay",
        contentType: "application/json",
        body: { partnerReferenceNo: "pay_1" },
      },
    ]);
    expect(JSON.parse(run.stdout)).toEqual({ partnerReferenceNo: "pay_1", status: "00" });
  });

  it("takes the URL from PAYMESH_SANDBOX_URL", async () => {
    const api = await startControlApi(200, "{}");
    const run = await spawnCli(["sandbox", "pay", "qris", "pay_2"], {
      env: { PAYMESH_SANDBOX_URL: api.url },
    });
    expect(run.code).toBe(0);
    expect(api.received[0]?.body).toEqual({ partnerReferenceNo: "pay_2" });
  });

  it("reports the simulator's refusal in one line, exit 1", async () => {
    const api = await startControlApi(404, '{"error":"no QR with partnerReferenceNo pay_3"}');
    const run = await spawnCli(["sandbox", "pay", "qris", "pay_3", "--sandbox-url", api.url]);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toEqual([
      `paymesh: POST ${api.url}/sim/pay answered 404: {"error":"no QR with partnerReferenceNo pay_3"}`,
    ]);
  });
});
