import { describe, expect, it } from "vitest";
import { startControlApi } from "../testing/control-api-stub.ts";
import { spawnCli } from "../testing/spawn-cli.ts";

describe("paymesh sandbox complete transfer", () => {
  it("POSTs external_id with status COMPLETED to /sim/complete and prints the answer", async () => {
    const answer = { id: "d1", external_id: "pay_1", status: "COMPLETED", failure_code: null, notified: 200 };
    const api = await startControlApi(200, JSON.stringify(answer));
    const run = await spawnCli(["sandbox", "complete", "transfer", "pay_1", "--sandbox-url", api.url]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(api.received).toEqual([
      {
        method: "POST",
        url: "/sim/complete",
        contentType: "application/json",
        body: { external_id: "pay_1", status: "COMPLETED" },
      },
    ]);
    expect(JSON.parse(run.stdout)).toEqual(answer);
  });

  it("fails the payout with --fail, sending status FAILED and the failure_code", async () => {
    const api = await startControlApi(200, "{}");
    const run = await spawnCli(["sandbox", "complete", "transfer", "pay_2", "--fail", "rejected_by_bank"], {
      env: { PAYMESH_TRANSFER_SANDBOX_URL: api.url },
    });
    expect(run.code).toBe(0);
    expect(api.received[0]?.body).toEqual({
      external_id: "pay_2",
      status: "FAILED",
      failure_code: "REJECTED_BY_BANK",
    });
  });

  it("refuses a failure code Xendit does not document, listing them (usage, exit 2)", async () => {
    const api = await startControlApi(200, "{}");
    const run = await spawnCli(["sandbox", "complete", "transfer", "pay_3", "--fail", "BANK_ON_FIRE"], {
      env: { PAYMESH_TRANSFER_SANDBOX_URL: api.url },
    });
    expect(run.code).toBe(2);
    expect(run.stderrLines[0]).toBe(
      'paymesh: sandbox complete transfer: --fail "BANK_ON_FIRE" is not one of INSUFFICIENT_BALANCE, ' +
        "INVALID_DESTINATION, REJECTED_BY_BANK, TEMPORARY_BANK_NETWORK_ERROR, UNKNOWN_BANK_NETWORK_ERROR, " +
        "TRANSFER_ERROR",
    );
    expect(api.received).toEqual([]);
  });

  it("reports the simulator's refusal in one line, exit 1", async () => {
    const api = await startControlApi(409, '{"error":"disbursement is COMPLETED, not PENDING"}');
    const run = await spawnCli(["sandbox", "complete", "transfer", "pay_4", "--sandbox-url", api.url]);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toEqual([
      `paymesh: POST ${api.url}/sim/complete answered 409: {"error":"disbursement is COMPLETED, not PENDING"}`,
    ]);
  });
});
