// Known secrets pushed through every path the router logs on (RPC lines, webhook refusals, resolver
// events, the breaker's events, an INTERNAL answer's cause), read back from the bytes the logger wrote.
import { createGrpcClient, GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason, PaymentMethodType, PaymentService } from "@paymesh/proto";
import { captureLogLines, createLogger } from "@paymesh/telemetry";
import { KNOWN_SECRETS, leakedSecrets, sampleValue, seriesOf } from "@paymesh/telemetry/testing";
import { waitFor } from "@paymesh/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningRouter, startRouter } from "./router.ts";
import { resolveRouterConfig } from "./router-config.ts";
import { type FakeAdapter, never, startFakeAdapter } from "./testing/fake-adapter.ts";
import { CALLER, CALLER_TOKEN, qrisRequest } from "./testing/router-flows.ts";

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const { accountNumber, holderName, bearerToken, signature, apiKey, privateKey } = KNOWN_SECRETS;

describe("the router's log", () => {
  const capture = captureLogLines();
  let adapter: FakeAdapter;
  let router: RunningRouter;
  let client: ReturnType<typeof createGrpcClient<typeof PaymentService.method>>;

  beforeAll(async () => {
    // A careless adapter: its errors quote what they were given.
    adapter = await startFakeAdapter({
      describe: async () => ({ provider: "fake", methods: [PaymentMethodType.QRIS], currencies: ["IDR"] }),
      createPayment: () => never(),
      getPaymentStatus: async () => {
        throw new PaymeshError(
          ErrorReason.PROVIDER_UNAVAILABLE,
          `lookup of {"account_number":"${accountNumber}","account_holder_name":"${holderName}"} failed with key=${apiKey}`,
        );
      },
      parseWebhook: async (request) => {
        const sent = request.headers.find((header) => header.name === "x-signature")?.value;
        throw new PaymeshError(ErrorReason.WEBHOOK_SIGNATURE_INVALID, `signature=${sent} does not verify`);
      },
    });
    router = await startRouter(
      resolveRouterConfig({
        host: "127.0.0.1",
        grpcPort: 0,
        httpPort: 0,
        callers: { [CALLER]: CALLER_TOKEN },
        adapters: { qris: { address: adapter.address } },
        routes: { qris: ["qris"] },
        adapterTimeoutMs: 300,
        // The policy's own bound fires first, whatever the machine's load: a "timeout" policy line,
        // not a race between it and the 300 ms deadline grpc-js enforces.
        policy: { retry: { maxAttempts: 1 }, timeoutMs: 100 },
        resolver: { intervalMs: 50, initialDelayMs: 50, maxDelayMs: 100 },
      }),
      { log: createLogger({ service: "router", destination: capture.destination }), rpcLogLevel: "info" },
    );
    client = createGrpcClient(PaymentService, router.grpcAddress);
  });

  afterAll(async () => {
    client?.close();
    await router?.close();
    await adapter?.close();
  });

  it("keeps every known secret out, and every line has an ISO time, a level and the service", async () => {
    // An RPC by a caller presenting a token the router does not know.
    const refused = await client
      .getPayment({ paymentId: "pay_x" }, { metadata: { authorization: `Bearer ${bearerToken}` } })
      .catch((error: PaymeshError) => error);
    expect(refused).toMatchObject({ code: GrpcCode.UNAUTHENTICATED });
    // A webhook with a signature, a bearer token and an account holder in it, refused by the adapter.
    const webhook = await fetch(`${router.httpUrl}/webhooks/qris`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-signature": signature,
        authorization: `Bearer ${bearerToken}`,
      },
      body: JSON.stringify({ account_number: accountNumber, account_holder_name: holderName, privateKey }),
    });
    expect(webhook.status).toBe(401);
    // A payment whose outcome is lost, which the resolver then asks about and logs the failure of.
    const created = await client
      .createPayment(qrisRequest("log-secrets"), {
        metadata: { authorization: `Bearer ${CALLER_TOKEN}` },
        deadline: new Date(Date.now() + 5_000),
      })
      .catch((error: PaymeshError) => error);
    expect(created).toMatchObject({ reason: ErrorReason.OUTCOME_UNKNOWN });
    await waitFor(
      async () => capture.lines.find((line) => line.source === "resolver" && line.kind === "retry"),
      5_000,
      "the resolver's retry line",
    );

    expect(capture.lines.find((line) => line.source === "rpc" && line.method === "GetPayment")).toMatchObject(
      {
        level: "info",
        caller: "unauthenticated",
        code: "UNAUTHENTICATED",
        transport: "grpc",
        duration_ms: expect.any(Number),
      },
    );
    expect(
      capture.lines.find((line) => line.source === "rpc" && line.method === "CreatePayment"),
    ).toMatchObject({
      caller: CALLER,
      code: "DEADLINE_EXCEEDED",
    });
    expect(capture.lines.find((line) => line.source === "webhook")).toMatchObject({
      level: "warn",
      kind: "rejected",
      adapter: "qris",
      status: 401,
    });
    expect(capture.lines.find((line) => line.source === "policy")).toBeDefined();
    const resolver = capture.lines.find((line) => line.source === "resolver" && line.kind === "retry");
    expect(String(resolver?.error)).toContain('"account_number":"****9012"');

    expect(leakedSecrets(capture.raw.join("")), capture.raw.join("")).toEqual([]);
    for (const line of capture.lines) {
      expect(line).toMatchObject({ time: expect.stringMatching(ISO_TIME), service: "router" });
      expect(line.level).toMatch(/^(debug|info|warn|error)$/);
    }
  });

  it("gives every served call one line, the same calls /metrics counts, Connect refusals included", async () => {
    const connect = (body: string, token: string) =>
      fetch(`${router.httpUrl}/${PaymentService.typeName}/GetPayment`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body,
      });
    expect((await connect(JSON.stringify({ paymentId: `pay_${"0".repeat(26)}` }), CALLER_TOKEN)).status).toBe(
      404,
    );
    // Refused before a handler runs: a body that does not decode, from a caller and from a stranger.
    expect((await connect("{not json", CALLER_TOKEN)).status).toBe(400);
    expect((await connect("{not json", bearerToken)).status).toBe(401);

    const text = await (await fetch(`${router.httpUrl}/metrics`)).text();
    const rpcLines = capture.lines.filter((line) => line.source === "rpc");
    const connectLines = rpcLines.filter((line) => line.transport === "connect");
    expect(connectLines).toEqual([
      expect.objectContaining({ method: "GetPayment", caller: CALLER, code: "NOT_FOUND" }),
      expect.objectContaining({ method: "GetPayment", caller: CALLER, code: "INVALID_ARGUMENT" }),
      expect.objectContaining({ method: "GetPayment", caller: "unauthenticated", code: "UNAUTHENTICATED" }),
    ]);
    // One hook writes the line and records the duration: each series counts exactly its lines.
    const series = seriesOf(text, "paymesh_rpc_duration_seconds_count");
    expect(series.length).toBeGreaterThanOrEqual(4);
    for (const labels of series) {
      const lines = rpcLines.filter(
        (line) =>
          line.method === labels.method && line.code === labels.code && line.transport === labels.transport,
      );
      expect(sampleValue(text, "paymesh_rpc_duration_seconds_count", labels), JSON.stringify(labels)).toBe(
        lines.length,
      );
    }
    expect(
      series.reduce(
        (sum, labels) => sum + sampleValue(text, "paymesh_rpc_duration_seconds_count", labels),
        0,
      ),
    ).toBe(rpcLines.length);
  });
});
