import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ScriptedProxy, startScriptedProxy } from "./scripted-proxy.ts";
import { startTestServer, type TestServer } from "./test-server.ts";

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** What the target saw of each request that reached it. */
let seen: { method: string | undefined; url: string | undefined; header: unknown; body: Buffer }[] = [];
let target: TestServer;
let proxy: ScriptedProxy;

beforeAll(async () => {
  target = await startTestServer(async (request, response) => {
    const body = await readAll(request);
    seen.push({ method: request.method, url: request.url, header: request.headers["x-trace"], body });
    response.writeHead(201, { "content-type": "application/json" });
    response.end(body);
  });
  proxy = await startScriptedProxy(target.url);
});
beforeEach(() => {
  proxy.reset();
  seen = [];
});
afterAll(async () => {
  await proxy.close();
  await target.close();
});

describe("startScriptedProxy", () => {
  it("forwards an unscripted request byte-for-byte and returns the target's answer", async () => {
    const body = '{"amount":150000,"note":"Rp 150.000 — ünïcödé"}';
    const answer = await fetch(`${proxy.url}/v1/charges?ref=a%20b`, {
      method: "POST",
      headers: { "x-trace": "t-1", "content-type": "application/json" },
      body,
    });
    expect(answer.status).toBe(201);
    expect(await answer.text()).toBe(body);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "POST", url: "/v1/charges?ref=a%20b", header: "t-1" });
    expect(seen[0]?.body.equals(Buffer.from(body))).toBe(true);
  });

  it("answers a scripted step by itself, then forwards once the steps run out", async () => {
    proxy.on("POST /v1/charges", () => ({
      status: 429,
      headers: { "retry-after": "1" },
      body: '{"slow":1}',
    }));
    const limited = await fetch(`${proxy.url}/v1/charges`, { method: "POST", body: "{}" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.headers.get("content-type")).toBe("application/json");
    expect(await limited.text()).toBe('{"slow":1}');
    expect(seen).toEqual([]);

    const passed = await fetch(`${proxy.url}/v1/charges`, { method: "POST", body: "{}" });
    expect(passed.status).toBe(201);
    expect(seen).toHaveLength(1);
  });

  it("matches on method and path only, and a step may forward then rewrite the answer", async () => {
    proxy.on("POST /v1/charges", async (forward) => ({ ...(await forward()), status: 500 }));
    const other = await fetch(`${proxy.url}/v1/charges`);
    expect(other.status).toBe(201);
    const rewritten = await fetch(`${proxy.url}/v1/charges?x=1`, { method: "POST", body: '{"a":1}' });
    expect(rewritten.status).toBe(500);
    expect(await rewritten.text()).toBe('{"a":1}');
    expect(seen.map((s) => s.method)).toEqual(["GET", "POST"]);
  });

  it("a step that throws resets the connection; forwardTo() retargets", async () => {
    proxy.on("GET /drop", () => {
      throw new Error("drop it");
    });
    await expect(fetch(`${proxy.url}/drop`)).rejects.toThrow();

    const elsewhere = await startTestServer((_request, response) => {
      response.writeHead(200);
      response.end('"elsewhere"');
    });
    try {
      proxy.forwardTo(elsewhere.url);
      expect(await (await fetch(`${proxy.url}/any`)).text()).toBe('"elsewhere"');
    } finally {
      proxy.forwardTo(target.url);
      await elsewhere.close();
    }
  });
});
