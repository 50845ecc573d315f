import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createGrpcClient } from "@paymesh/adapter-kit";
import { adapterv1, PaymentStatus, VirtualAccountBank } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { adapterEnv, createVaSimulator } from "../sandbox/index.ts";

describe("src/main.ts", () => {
  it("serves against the simulator with its adapterEnv, prints one JSON line, exits 0 on SIGTERM", async () => {
    const simulator = await createVaSimulator();
    const child = spawn(process.execPath, [fileURLToPath(new URL("../src/main.ts", import.meta.url))], {
      env: { ...process.env, ADAPTER_PORT: "0", ...adapterEnv(simulator.url) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const lines = createInterface({ input: child.stdout });
      const first = await lines[Symbol.asyncIterator]().next();
      const announced = JSON.parse(String(first.value)) as { service: string; address: string };
      expect(announced.service).toBe("adapter-va");
      expect(announced.address).toMatch(/^127\.0\.0\.1:\d+$/);
      const client = createGrpcClient(adapterv1.ProviderAdapter, announced.address);
      const created = await client.createPayment(
        {
          paymentId: "pay_main_test_0000000000000000",
          amount: { currency: "IDR", minorUnits: 20_000_00n },
          method: { case: "virtualAccount", value: { bank: VirtualAccountBank.BCA } },
        },
        { deadline: new Date(Date.now() + 10_000) },
      );
      client.close();
      expect(created.payment?.status).toBe(PaymentStatus.REQUIRES_ACTION);
      expect(simulator.stats().charges).toBe(1);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await simulator.close();
    }
  });

  it("a missing variable is one line naming it on stderr, and exit status 2", async () => {
    const child = spawn(process.execPath, [fileURLToPath(new URL("../src/main.ts", import.meta.url))], {
      env: { ...process.env, MIDTRANS_BASE_URL: "http://127.0.0.1:1", MIDTRANS_SERVER_KEY: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    // "close", not "exit": stderr is read to its end.
    const code = await new Promise<number | null>((resolve) => child.on("close", (exit) => resolve(exit)));
    expect({ code, stderr }).toEqual({ code: 2, stderr: "adapter-va: MIDTRANS_SERVER_KEY is required\n" });
  });
});
