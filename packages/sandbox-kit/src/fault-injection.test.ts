import { afterEach, describe, expect, it } from "vitest";
import { type FaultConfig, type InjectedFault, injectFaults, noFaults } from "./fault-injection.ts";
import { readBody, sendJson } from "./http-io.ts";
import { startTestServer, type TestServer } from "./test-server.ts";

interface TestFailNext {
  count: number;
  code: string;
  endpoint?: string;
}

describe("injectFaults", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /**
   * A server that applies `config` to every request (after reading its body, as simulators do) and
   * answers 503 for an injected error, 200 otherwise; `seen` lists what injectFaults decided.
   */
  async function serve(
    config: FaultConfig<TestFailNext>,
    options: { signal?: AbortSignal; endpoint?: string } = {},
  ): Promise<{ url: string; seen: InjectedFault<TestFailNext>["kind"][]; bodies: string[] }> {
    const seen: InjectedFault<TestFailNext>["kind"][] = [];
    const bodies: string[] = [];
    server = await startTestServer(async (request, response) => {
      bodies.push((await readBody(request)).toString("utf8"));
      const fault = await injectFaults(config, request, {
        signal: options.signal ?? new AbortController().signal,
        failNextApplies: (failNext) =>
          failNext.endpoint === undefined || failNext.endpoint === options.endpoint,
      });
      seen.push(fault.kind);
      if (fault.kind === "reset") return;
      if (fault.kind === "fail") return sendJson(response, 503, { code: fault.failNext.code });
      sendJson(response, 200, { processed: true });
    });
    return { url: server.url, seen, bodies };
  }

  it("starts with nothing injected", () => {
    expect(noFaults()).toEqual({ latencyMs: 0, failNext: undefined, resetConnections: 0 });
  });

  it("resets the next n connections after reading the body, answering nothing", async () => {
    const config: FaultConfig<TestFailNext> = { ...noFaults(), resetConnections: 2 };
    const { url, seen, bodies } = await serve(config);
    await expect(fetch(url, { method: "POST", body: "one" })).rejects.toThrow(TypeError);
    expect(config.resetConnections).toBe(1);
    await expect(fetch(url, { method: "POST", body: "two" })).rejects.toThrow(TypeError);
    expect(config.resetConnections).toBe(0);
    expect((await fetch(url, { method: "POST", body: "three" })).status).toBe(200);
    expect(seen).toEqual(["reset", "reset", "none"]);
    expect(bodies).toEqual(["one", "two", "three"]);
  });

  it("fails the next `count` requests, then clears failNext", async () => {
    const config: FaultConfig<TestFailNext> = { ...noFaults(), failNext: { count: 2, code: "DOWN" } };
    const { url, seen } = await serve(config);
    const first = await fetch(url);
    expect({ status: first.status, body: await first.text() }).toEqual({
      status: 503,
      body: '{"code":"DOWN"}',
    });
    expect(config.failNext).toEqual({ count: 1, code: "DOWN" });
    expect((await fetch(url)).status).toBe(503);
    expect(config.failNext).toBeUndefined();
    expect((await fetch(url)).status).toBe(200);
    expect(seen).toEqual(["fail", "fail", "none"]);
  });

  it("leaves failNext alone for requests it is not aimed at", async () => {
    const config: FaultConfig<TestFailNext> = {
      ...noFaults(),
      failNext: { count: 1, code: "DOWN", endpoint: "create-transfer" },
    };
    const { url, seen } = await serve(config, { endpoint: "get-quote" });
    expect((await fetch(url)).status).toBe(200);
    expect(config.failNext).toEqual({ count: 1, code: "DOWN", endpoint: "create-transfer" });
    expect(seen).toEqual(["none"]);
  });

  it("applies a reset before an injected error, each counter spent on its own request", async () => {
    const config: FaultConfig<TestFailNext> = {
      ...noFaults(),
      resetConnections: 1,
      failNext: { count: 1, code: "DOWN" },
    };
    const { url, seen } = await serve(config);
    await expect(fetch(url)).rejects.toThrow(TypeError);
    expect(config.failNext).toEqual({ count: 1, code: "DOWN" });
    expect((await fetch(url)).status).toBe(503);
    expect(seen).toEqual(["reset", "fail"]);
  });

  it("delays by latencyMs before answering", async () => {
    const { url } = await serve({ ...noFaults(), latencyMs: 120 });
    const started = performance.now();
    expect((await fetch(url)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it("stops waiting when the simulator closes", async () => {
    const closing = new AbortController();
    const config: FaultConfig<TestFailNext> = { ...noFaults(), latencyMs: 60_000 };
    let entered: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let outcome: Promise<unknown> = Promise.resolve();
    server = await startTestServer((request) => {
      entered();
      outcome = injectFaults(config, request, { signal: closing.signal }).catch((error: unknown) => error);
    });
    void fetch(server.url).catch(() => undefined);
    await waiting;
    closing.abort();
    expect(await outcome).toMatchObject({ name: "AbortError" });
  });
});
