import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { createMetrics } from "@paymesh/telemetry";
import { sampleValue } from "@paymesh/telemetry/testing";
import { unusedPort } from "@paymesh/test-kit";
import { afterEach, describe, expect, it } from "vitest";
import { createMasker } from "./masker.ts";
import { jsonObject } from "./provider-answer.ts";
import { createProviderClient, type RepeatRule } from "./provider-client.ts";
import { isProviderTransportError, type ProviderTransportError } from "./provider-transport-error.ts";

type Op = "create" | "read" | "pay";
const RULES: Record<Op, RepeatRule> = { create: "keyed", read: "read", pay: "once" };
const FAST = { initialDelayMs: 1, maxDelayMs: 2 };

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
    await once(server, "close");
  }
});

/** A provider on port 0 answering each request with the next scripted reply ("drop" cuts the socket). */
async function provider(replies: Array<{ status: number; body: string } | "drop">) {
  const bodies: string[] = [];
  const headers: Array<Record<string, unknown>> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      bodies.push(Buffer.concat(chunks).toString("utf8"));
      headers.push(request.headers);
      const reply = replies[Math.min(bodies.length, replies.length) - 1];
      if (reply === undefined || reply === "drop") {
        request.socket.destroy();
        return;
      }
      response.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body);
    });
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return { bodies, headers, baseUrl: `http://127.0.0.1:${address.port}` };
}

async function transportError(promise: Promise<unknown>): Promise<ProviderTransportError> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!isProviderTransportError(caught)) throw new Error(`expected a transport error, got ${String(caught)}`);
  return caught;
}

describe("createProviderClient", () => {
  it("repeats a keyed call after a 503 and records every round trip, masked, in order", async () => {
    const upstream = await provider([
      { status: 503, body: '{"error":"busy"}' },
      { status: 201, body: '{"id":"tr_1","account_number":"1234567890"}' },
    ]);
    const client = createProviderClient<Op>({
      provider: "Example",
      baseUrl: upstream.baseUrl,
      rules: RULES,
      masker: createMasker(),
      retry: FAST,
    });
    const answer = await client.call({
      operation: "create",
      method: "POST",
      path: "/transfers",
      headers: (attempt) => ({ "x-attempt": String(attempt) }),
      body: '{"account_number":"1234567890","amount":100.50}',
    });
    expect(answer.status).toBe(201);
    expect(jsonObject(answer).account_number).toBe("1234567890");
    expect(upstream.bodies).toHaveLength(2);
    expect(upstream.headers.map((sent) => sent["x-attempt"])).toEqual(["1", "2"]);
    expect(answer.exchanges.map((exchange) => exchange.responseStatus)).toEqual([503, 201]);
    expect(answer.exchanges[1]?.requestBody).toBe('{"account_number":"****7890","amount":100.50}');
    expect(answer.exchanges[1]?.responseBody).toBe('{"id":"tr_1","account_number":"****7890"}');
  });

  it("does not repeat a keyed call whose 500 proves the provider acted", async () => {
    const upstream = await provider([
      { status: 500, body: '{"id":"tr_1"}' },
      { status: 201, body: '{"id":"tr_1"}' },
    ]);
    const client = createProviderClient<Op>({
      provider: "Example",
      baseUrl: upstream.baseUrl,
      rules: RULES,
      readAttempt: (answer) => ({ status: answer.status, acted: answer.text.includes('"id"') }),
      retry: FAST,
    });
    const answer = await client.call({
      operation: "create",
      method: "POST",
      path: "/t",
      headers: () => ({}),
    });
    expect(answer.status).toBe(500);
    expect(upstream.bodies).toHaveLength(1);
  });

  it("repeats a read after a lost answer but never a keyed call, which stays 'sent'", async () => {
    const reads = await provider(["drop", { status: 200, body: "{}" }]);
    const readClient = createProviderClient<Op>({
      provider: "E",
      baseUrl: reads.baseUrl,
      rules: RULES,
      retry: FAST,
    });
    const read = await readClient.call({ operation: "read", method: "GET", path: "/t", headers: () => ({}) });
    expect(read.status).toBe(200);
    expect(read.exchanges).toHaveLength(2);
    expect(read.exchanges[0]?.transportError).toBeDefined();

    const creates = await provider(["drop", { status: 201, body: "{}" }]);
    const createClient = createProviderClient<Op>({
      provider: "E",
      baseUrl: creates.baseUrl,
      rules: RULES,
      retry: FAST,
    });
    const lost = await transportError(
      createClient.call({ operation: "create", method: "POST", path: "/t", headers: () => ({}), body: "{}" }),
    );
    expect(lost.sent).toBe(true);
    expect(creates.bodies).toHaveLength(1);
  });

  it("repeats a keyed call whose request provably never left, and never a 'once' call", async () => {
    const closed = await provider([]);
    const url = closed.baseUrl;
    for (const server of servers.splice(0)) {
      server.close();
      await once(server, "close");
    }
    const client = createProviderClient<Op>({ provider: "E", baseUrl: url, rules: RULES, retry: FAST });
    const keyed = await transportError(
      client.call({ operation: "create", method: "POST", path: "/t", headers: () => ({}), body: "{}" }),
    );
    expect(keyed.sent).toBe(false);
    expect(keyed.exchanges).toHaveLength(3);
    const single = await transportError(
      client.call({ operation: "pay", method: "POST", path: "/t", headers: () => ({}), body: "{}" }),
    );
    expect(single.exchanges).toHaveLength(1);
  });

  it("a body that is not the provider's JSON is a transport failure after sending, recorded", async () => {
    const upstream = await provider([{ status: 200, body: "<html>gateway</html>" }]);
    const client = createProviderClient<Op>({ provider: "E", baseUrl: upstream.baseUrl, rules: RULES });
    const answer = await client.call({ operation: "read", method: "GET", path: "/t", headers: () => ({}) });
    let caught: unknown;
    try {
      jsonObject(answer);
    } catch (error) {
      caught = error;
    }
    if (!isProviderTransportError(caught)) throw new Error("expected a transport error");
    expect(caught.sent).toBe(true);
    expect(caught.exchange.transportError).toBe("malformed answer: not JSON (HTTP 200)");
    expect(caught.exchange.responseStatus).toBe(200);
  });
});

describe("createProviderClient metrics", () => {
  it("records each round trip's latency under its adapter, operation and outcome", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const upstream = await provider([
      { status: 200, body: "{}" },
      { status: 404, body: '{"error":"unknown order"}' },
      { status: 500, body: "{}" },
    ]);
    const client = createProviderClient<Op>({
      provider: "E",
      adapter: "adapter-e",
      metrics,
      baseUrl: upstream.baseUrl,
      rules: RULES,
      retry: { ...FAST, maxAttempts: 1 },
    });
    const call = (operation: Op) =>
      client.call({ operation, method: "POST", path: "/x", headers: () => ({}) });
    await call("create");
    await call("read");
    await call("pay");
    const closed = createProviderClient<Op>({
      provider: "E",
      adapter: "adapter-e",
      metrics,
      baseUrl: `http://127.0.0.1:${await unusedPort()}`,
      rules: RULES,
      retry: { ...FAST, maxAttempts: 1 },
    });
    await transportError(closed.call({ operation: "read", method: "GET", path: "/x", headers: () => ({}) }));

    const text = (await metrics.exposition()).text;
    const count = (operation: Op, outcome: string) =>
      sampleValue(text, "paymesh_provider_call_duration_seconds_count", {
        adapter: "adapter-e",
        operation,
        outcome,
      });
    expect([count("create", "ok"), count("read", "refused"), count("pay", "error")]).toEqual([1, 1, 1]);
    expect(count("read", "unreachable")).toBe(1);
  });

  it("records a round trip cut off by the client's timeout as timeout", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const silent = createServer(() => {});
    servers.push(silent);
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    const address = silent.address();
    if (address === null || typeof address === "string") throw new Error("no TCP address");
    const client = createProviderClient<Op>({
      provider: "E",
      adapter: "adapter-e",
      metrics,
      baseUrl: `http://127.0.0.1:${address.port}`,
      rules: RULES,
      timeoutMs: 50,
      retry: { maxAttempts: 1 },
    });
    await transportError(client.call({ operation: "pay", method: "POST", path: "/x", headers: () => ({}) }));
    const text = (await metrics.exposition()).text;
    expect(
      sampleValue(text, "paymesh_provider_call_duration_seconds_count", {
        operation: "pay",
        outcome: "timeout",
      }),
    ).toBe(1);
  });
});
