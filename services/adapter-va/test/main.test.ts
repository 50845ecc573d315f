import { createGrpcClient } from "@paymesh/adapter-kit";
import { adapterv1, PaymentStatus, VirtualAccountBank } from "@paymesh/proto";
import { tracingNodeArgs } from "@paymesh/telemetry";
import { runProcess, startProcess } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { adapterEnv, createVaSimulator } from "../sandbox/index.ts";

describe("src/main.ts", () => {
  it("serves against the simulator with its adapterEnv, prints one JSON line, exits 0 on SIGTERM", async () => {
    const simulator = await createVaSimulator();
    const adapter = await startProcess<{ service: string; address: string }>(
      // As every launcher starts it: tracing registered first (a no-op without OTEL_* variables).
      { entry: new URL("../src/main.ts", import.meta.url), nodeArgs: tracingNodeArgs() },
      {
        env: { ADAPTER_PORT: "0", ...adapterEnv(simulator.url) },
      },
    );
    try {
      const announced = adapter.ready;
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
      expect(await adapter.stop()).toBe(0);
    } finally {
      adapter.kill();
      await simulator.close();
    }
  });

  it("a missing variable is one line naming it on stderr, and exit status 2", async () => {
    const { code, stderr } = await runProcess(new URL("../src/main.ts", import.meta.url), {
      env: { MIDTRANS_BASE_URL: "http://127.0.0.1:1", MIDTRANS_SERVER_KEY: "" },
    });
    expect({ code, stderr }).toEqual({ code: 2, stderr: "adapter-va: MIDTRANS_SERVER_KEY is required\n" });
  });

  it("a wrong tracing variable is one line naming it on stderr, and exit status 2, before anything starts", async () => {
    const { code, stderr } = await runProcess(
      { entry: new URL("../src/main.ts", import.meta.url), nodeArgs: tracingNodeArgs() },
      { env: { OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" } },
    );
    expect({ code, stderr }).toEqual({
      code: 2,
      stderr:
        'telemetry: OTEL_EXPORTER_OTLP_PROTOCOL is "grpc", which is not supported here: use "http/protobuf" or "http/json"\n',
    });
  });
});
