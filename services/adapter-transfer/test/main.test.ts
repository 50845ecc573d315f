import { createGrpcClient } from "@paymesh/adapter-kit";
import { deadline } from "@paymesh/adapter-kit/testing";
import { adapterv1 } from "@paymesh/proto";
import { tracingNodeArgs } from "@paymesh/telemetry";
import { startProcess, waitFor } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { adapterEnv, createTransferSimulator } from "../sandbox/index.ts";
import { transferRequest } from "./harness.ts";

describe("src/main.ts", () => {
  it("announces its address, logs masked exchanges, and exits 0 on SIGTERM", async () => {
    const simulator = await createTransferSimulator();
    const adapter = await startProcess<{ service: string; address: string }>(
      // As every launcher starts it: tracing registered first (a no-op without OTEL_* variables).
      { entry: new URL("../src/main.ts", import.meta.url), nodeArgs: tracingNodeArgs() },
      {
        env: { ...adapterEnv(simulator.url), ADAPTER_PORT: "0" },
      },
    );
    try {
      const announced = adapter.ready;
      expect(announced.service).toBe("adapter-transfer");
      expect(announced.address).toMatch(/^127\.0\.0\.1:\d+$/);
      const client = createGrpcClient(adapterv1.ProviderAdapter, announced.address);
      try {
        await client.createPayment(transferRequest(), deadline());
      } finally {
        client.close();
      }
      const line = await waitFor(
        () =>
          adapter
            .stderr()
            .split("\n")
            .find((candidate) => candidate.includes('"xendit_exchange"')),
        10_000,
        "the exchange's log line",
      );
      expect(JSON.parse(line)).toMatchObject({
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        level: "info",
        service: "adapter-transfer",
        event: "xendit_exchange",
        operation: "createDisbursement",
        status: 200,
      });
      const { requestBody } = JSON.parse(line) as { requestBody: string };
      expect(requestBody).toContain('"account_number":"****7890"');
      expect(line).not.toMatch(/1234567890|Budi|Santoso/);
      // And the call's own line.
      await waitFor(
        () =>
          adapter
            .stderr()
            .split("\n")
            .find((candidate) => candidate.includes('"source":"rpc"')),
        10_000,
        "the RPC's log line",
      );
      expect(await adapter.stop()).toBe(0);
    } finally {
      adapter.kill();
      await simulator.close();
    }
  });
});
