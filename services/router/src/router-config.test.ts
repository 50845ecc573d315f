import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@paymesh/adapter-kit";
import { afterAll, describe, expect, it } from "vitest";
import { loadRouterConfig, loadRouterKeys, resolveRouterConfig } from "./router-config.ts";

const callers = { checkout: "checkout-token-0123456789" };

describe("resolveRouterConfig", () => {
  it("fills the webhook, event and operator defaults the README documents", () => {
    const config = resolveRouterConfig({ callers });
    expect(config.webhooks).toEqual({
      retryDelaysMs: [1_000, 5_000, 30_000, 120_000],
      maxAttempts: 6,
      consumers: 4,
      enqueueTimeoutMs: 5_000,
    });
    expect(config.events).toEqual({
      sweepIntervalMs: 10_000,
      minPassIntervalMs: 50,
      retentionMs: 7 * 24 * 60 * 60 * 1000,
    });
    expect(config.operators).toEqual({});
  });

  it("keeps what the config gives", () => {
    const config = resolveRouterConfig({
      callers,
      operators: { ops: "operator-token-0123456789" },
      webhooks: { maxAttempts: 3, consumers: 1 },
      events: { sweepIntervalMs: 50 },
    });
    expect(config.webhooks).toMatchObject({
      maxAttempts: 3,
      consumers: 1,
      retryDelaysMs: [1_000, 5_000, 30_000, 120_000],
    });
    expect(config.events.sweepIntervalMs).toBe(50);
    expect(config.operators).toEqual({ ops: "operator-token-0123456789" });
  });

  it.each([0, -1, 1.5])("refuses webhooks.consumers %s, naming the field", (consumers) => {
    expect(() => resolveRouterConfig({ callers, webhooks: { consumers } })).toThrow(
      "router config: webhooks.consumers must be a positive integer",
    );
  });
});

describe("adapter load balancing", () => {
  it("accepts pick_first and round_robin and refuses anything else, naming the adapter", () => {
    const adapters = (loadBalancing: string) => ({
      qris: { address: "dns:///adapter-qris:50051", loadBalancing: loadBalancing as "round_robin" },
    });
    expect(
      resolveRouterConfig({ callers, adapters: adapters("round_robin") }).adapters.qris?.loadBalancing,
    ).toBe("round_robin");
    expect(() => resolveRouterConfig({ callers, adapters: adapters("least_busy") })).toThrow(
      'router config: adapters.qris.loadBalancing must be one of pick_first, round_robin, got "least_busy"',
    );
  });
});

describe("loadRouterConfig with token files", () => {
  const folder = mkdtempSync(join(tmpdir(), "paymesh-router-config-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    writeFileSync(join(folder, name), text);
    return join(folder, name);
  };
  const inline = JSON.stringify({ callers: {}, adapters: {}, routes: {} });

  it("takes callers and operators from the files PAYMESH_CALLERS_FILE and PAYMESH_OPERATORS_FILE name", () => {
    const config = loadRouterConfig({
      PAYMESH_ROUTER_CONFIG: inline,
      PAYMESH_CALLERS_FILE: file("callers.json", JSON.stringify({ shop: "shop-token-0123456789abcdef" })),
      PAYMESH_OPERATORS_FILE: file("operators.json", JSON.stringify({ ops: "ops-token-0123456789abcdef" })),
    });
    expect(config.callers).toEqual({ shop: "shop-token-0123456789abcdef" });
    expect(config.operators).toEqual({ ops: "ops-token-0123456789abcdef" });
  });

  it.each([
    [
      "a file that is not there",
      () => join(folder, "absent.json"),
      "names a file that cannot be read (ENOENT)",
    ],
    ["a file that is not JSON", () => file("broken.json", "shop=secret-token-value"), "is not JSON"],
    [
      "a file that is not name → token",
      () => file("list.json", '["secret-token-value"]'),
      "must be a JSON object of name → token strings",
    ],
  ])("refuses %s, naming the variable and never quoting a token", (_case, path, message) => {
    let thrown: unknown;
    try {
      loadRouterConfig({ PAYMESH_ROUTER_CONFIG: inline, PAYMESH_CALLERS_FILE: path() });
    } catch (error) {
      thrown = error;
    }
    expect(String(thrown)).toBe(`Error: router config: PAYMESH_CALLERS_FILE ${message}`);
    expect(String(thrown)).not.toContain("secret-token-value");
  });
});

describe("loadRouterKeys", () => {
  const key = (fill: number) => Buffer.alloc(32, fill).toString("base64");
  const problem = (env: NodeJS.ProcessEnv): ConfigError => {
    try {
      loadRouterKeys(env);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error("expected a ConfigError");
  };

  it("reads PAYMESH_KEK, the first key sealing and every key opening", () => {
    const { keys, source } = loadRouterKeys({ PAYMESH_KEK: `2026-07:${key(1)},2026-01:${key(2)}` });
    expect(source).toBe("PAYMESH_KEK");
    expect(keys.current.id).toBe("2026-07");
    expect(keys.ids).toEqual(["2026-07", "2026-01"]);
  });

  it.each([
    ["not-a-key", 'each key must be written "<id>:<base64 of 32 bytes>"'],
    [`k1:${Buffer.alloc(31).toString("base64")}`, "key k1 must be 32 bytes, got 31"],
  ])("refuses PAYMESH_KEK=%j naming the variable, never echoing it", (value, why) => {
    const error = problem({ PAYMESH_KEK: value });
    expect(error.variable).toBe("PAYMESH_KEK");
    expect(error.message).toBe(`router: PAYMESH_KEK is not valid: ${why}`);
  });

  it("requires PAYMESH_KEK with a Postgres", () => {
    const error = problem({ DATABASE_URL: "postgres://db/paymesh" });
    expect(error.variable).toBe("PAYMESH_KEK");
    expect(error.message).toMatch(/^router: PAYMESH_KEK is required with DATABASE_URL/);
  });

  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("generates a key once for the embedded data folder, readable by its owner only, and keeps it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "paymesh-keys-"));
    dirs.push(dir);
    const dataDir = join(dir, "pglite");
    const first = loadRouterKeys({ PAYMESH_DATA_DIR: dataDir });
    expect(first.source).toBe(`${dataDir}.kek`);
    expect((await stat(`${dataDir}.kek`)).mode & 0o777).toBe(0o600);
    const again = loadRouterKeys({ PAYMESH_DATA_DIR: dataDir });
    expect(again.keys.current).toEqual(first.keys.current);
    expect(await readFile(`${dataDir}.kek`, "utf8")).toContain(`${first.keys.current.id}:`);
  });

  it("uses a key of its own for an in-memory database", () => {
    expect(loadRouterKeys({}).source).toBe("generated in memory");
  });
});
