import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { adapterv1, ErrorReason, PaymentMethodType } from "@paymesh/proto";
import { captureLogLines, createLogger } from "@paymesh/telemetry";
import { KNOWN_SECRETS, leakedSecrets } from "@paymesh/telemetry/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createGrpcClient } from "./grpc-client.ts";
import { createMasker } from "./masker.ts";
import type { PaymentProvider } from "./payment-provider.ts";
import type { PaymeshError } from "./paymesh-error.ts";
import { createProviderHttp } from "./provider-http.ts";
import { transportFailure } from "./provider-outcome.ts";
import { isProviderTransportError } from "./provider-transport-error.ts";
import { serveAdapter } from "./serve-adapter.ts";
import { deadline, newPaymentId } from "./testing/requests.ts";

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const { accountNumber, holderName, bearerToken, signature, apiKey, privateKey } = KNOWN_SECRETS;

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A provider endpoint that reads the request and drops the connection: no answer, maybe acted. */
async function startDroppingProvider(): Promise<string> {
  const server: Server = createServer((req) => {
    req.resume();
    req.on("end", () => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A provider whose status lookup talks HTTP through the kit to an endpoint that drops it (secrets in
 * the URL and the body, as a careless provider API would have them), and whose cancel fails with a
 * backend error quoting secrets.
 */
function leakyProvider(baseUrl: string): PaymentProvider {
  const masker = createMasker();
  const http = createProviderHttp({ baseUrl, maskBody: masker.maskBody, timeoutMs: 2_000 });
  return {
    describe: () => ({ provider: "leaky", methods: [PaymentMethodType.QRIS], currencies: ["IDR"] }),
    createPayment: () => Promise.reject(new Error("not used")),
    async getPaymentStatus() {
      try {
        await http.send({
          operation: "status",
          method: "POST",
          path: `/v1/status?api_key=${apiKey}`,
          headers: { authorization: `Bearer ${bearerToken}`, "x-signature": signature },
          body: JSON.stringify({ account_number: accountNumber, account_holder_name: holderName, apiKey }),
        });
      } catch (error) {
        if (isProviderTransportError(error))
          throw transportFailure(error, { provider: "Leaky", what: "status lookup", readOnly: true });
        throw error;
      }
      throw new Error("the endpoint answered");
    },
    async cancelPayment() {
      throw new Error(
        `pool rejected Authorization: Bearer ${bearerToken} loading ${privateKey} for account ${accountNumber}`,
      );
    },
  };
}

describe("an adapter's log lines", () => {
  async function serveLeaky(level?: "debug") {
    const capture = captureLogLines();
    const adapter = await serveAdapter({
      provider: leakyProvider(await startDroppingProvider()),
      service: "adapter-leaky",
      log: createLogger({
        service: "adapter-leaky",
        destination: capture.destination,
        ...(level === undefined ? {} : { level }),
      }),
    });
    const client = createGrpcClient(adapterv1.ProviderAdapter, adapter.address);
    closers.push(async () => {
      client.close();
      await adapter.shutdown(1_000);
    });
    return { capture, client };
  }

  it("a provider failure is logged with its masked exchange trail, and every call gets one line", async () => {
    const { capture, client } = await serveLeaky();
    const failure = await client
      .getPaymentStatus({ paymentId: newPaymentId() }, deadline())
      .catch((error) => error);
    expect(failure).toMatchObject({ code: 14, reason: ErrorReason.PROVIDER_UNAVAILABLE });

    const provider = capture.lines.find((line) => line.source === "provider");
    expect(provider).toMatchObject({ level: "warn", method: "GetPaymentStatus", code: "UNAVAILABLE" });
    const [exchange] = (provider?.exchanges ?? []) as Array<Record<string, unknown>>;
    expect(exchange).toMatchObject({ operation: "status", httpMethod: "POST" });
    expect(String(exchange?.requestBody)).toContain('"account_number":"****9012"');
    expect(capture.lines.find((line) => line.source === "rpc")).toMatchObject({
      level: "info",
      method: "GetPaymentStatus",
      code: "UNAVAILABLE",
      transport: "grpc",
    });
    expect(leakedSecrets(capture.raw.join(""))).toEqual([]);
    for (const line of capture.lines) {
      expect(line).toMatchObject({ time: expect.stringMatching(ISO_TIME), service: "adapter-leaky" });
      expect(line.level).toMatch(/^(info|warn|error)$/);
    }
  });

  it("the router's Describe probes are debug lines, so an adapter's log is not all probes", async () => {
    for (const level of [undefined, "debug"] as const) {
      const { capture, client } = await serveLeaky(level);
      await client.describe({}, deadline());
      await client.describe({}, deadline());
      const probes = capture.lines.filter((line) => line.source === "rpc" && line.method === "Describe");
      expect(probes.map((line) => line.level)).toEqual(level === undefined ? [] : ["debug", "debug"]);
    }
  });

  it("an INTERNAL answer carries a correlation id, and the error line with that id keeps the cause, masked", async () => {
    const { capture, client } = await serveLeaky();
    const failure: PaymeshError = await client
      .cancelPayment({ paymentId: newPaymentId() }, deadline())
      .then(() => expect.fail("CancelPayment answered"))
      .catch((error: PaymeshError) => error);
    expect(failure.reason).toBe(ErrorReason.INTERNAL);
    const id = failure.metadata.correlation_id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(failure.message).toContain(id);
    expect(failure.message).not.toContain("pool rejected");

    const line = capture.lines.find((entry) => entry.correlation_id === id);
    expect(line).toMatchObject({ level: "error", method: "CancelPayment", service: "adapter-leaky" });
    expect(JSON.stringify(line)).toContain("pool rejected Authorization: Bearer [redacted]");
    expect(JSON.stringify(line)).toContain("****9012");
    expect(leakedSecrets(capture.raw.join(""))).toEqual([]);
  });
});
