import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createGrpcClient } from "@paymesh/adapter-kit";
import { adapterv1 } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { adapterEnv, createTransferSimulator } from "../sandbox/index.ts";
import { soon, transferRequest } from "./harness.ts";

describe("src/main.ts", () => {
  it("announces its address, logs masked exchanges, and exits 0 on SIGTERM", async () => {
    const simulator = await createTransferSimulator();
    const child = spawn(process.execPath, [fileURLToPath(new URL("../src/main.ts", import.meta.url))], {
      env: { ...process.env, ...adapterEnv(simulator.url), ADAPTER_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const logLines = createInterface({ input: child.stderr })[Symbol.asyncIterator]();
    try {
      const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
      const announced = JSON.parse(String(first.value)) as { service: string; address: string };
      expect(announced.service).toBe("adapter-transfer");
      expect(announced.address).toMatch(/^127\.0\.0\.1:\d+$/);
      const client = createGrpcClient(adapterv1.ProviderAdapter, announced.address);
      try {
        await client.createPayment(transferRequest(), soon());
      } finally {
        client.close();
      }
      const line = String((await logLines.next()).value);
      expect(JSON.parse(line)).toMatchObject({
        service: "adapter-transfer",
        event: "xendit_exchange",
        operation: "createDisbursement",
        status: 200,
      });
      const { requestBody } = JSON.parse(line) as { requestBody: string };
      expect(requestBody).toContain('"account_number":"****7890"');
      expect(line).not.toMatch(/1234567890|Budi|Santoso/);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await simulator.close();
    }
  });
});
