import { context, TraceFlags, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";
import { captureLogLines } from "./logger-capture.ts";
import { logRpc } from "./logger-rpc.ts";
import { LogSettingsError, readLogSettings } from "./logger-settings.ts";

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("createLogger", () => {
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
  });
  afterAll(() => {
    context.disable();
  });

  it("writes time as ISO text, the level's name and the service on every line", () => {
    const capture = captureLogLines();
    const log = createLogger({ service: "router", level: "debug", destination: capture.destination });
    log.info("one");
    log.child({ source: "resolver" }).warn({ payment_id: "pay_1" }, "two");
    log.debug("three");
    expect(capture.lines).toHaveLength(3);
    for (const line of capture.lines) {
      expect(line.time).toMatch(ISO_TIME);
      expect(line.service).toBe("router");
    }
    expect(capture.lines.map((line) => line.level)).toEqual(["info", "warn", "debug"]);
    expect(capture.lines[1]).toMatchObject({ source: "resolver", payment_id: "pay_1", msg: "two" });
  });

  it("carries the trace and span ids of the span active when the line is written", async () => {
    const capture = captureLogLines();
    const log = createLogger({ service: "router", destination: capture.destination });
    const span = trace.wrapSpanContext({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      // All digits, as one span id in about 2000 is: not to be masked as an account number.
      spanId: "1234567890123456",
      traceFlags: TraceFlags.SAMPLED,
    });
    await context.with(trace.setSpan(context.active(), span), async () => {
      await Promise.resolve();
      log.info("inside");
    });
    log.info("outside");
    expect(capture.lines[0]).toMatchObject({
      trace_id: "4bf92f3577b34da6a3ce929d0e0e4736",
      span_id: "1234567890123456",
    });
    expect(capture.lines[1]).not.toHaveProperty("trace_id");
  });

  it("redacts keys, messages, bindings and errors with their causes before writing", () => {
    const capture = captureLogLines();
    const log = createLogger({ service: "adapter-va", destination: capture.destination });
    const cause = new Error("upstream said Bearer sk_live_abcdefghijkl for 1234567890");
    log.child({ headers: { "x-signature": "c2lnbmF0dXJlLXZhbHVl" } }).error(
      {
        err: new Error("charge failed", { cause }),
        recipient: { name: "Budi Santoso", accountNumber: "9876543210" },
      },
      "refused account 5556667778",
    );
    const raw = capture.raw.join("");
    for (const secret of [
      "sk_live_abcdefghijkl",
      "1234567890",
      "c2lnbmF0dXJlLXZhbHVl",
      "Budi",
      "9876543210",
      "5556667778",
    ]) {
      expect(raw).not.toContain(secret);
    }
    expect(capture.lines[0]).toMatchObject({
      level: "error",
      recipient: { name: "B***", accountNumber: "****3210" },
    });
    expect(JSON.stringify(capture.lines[0]?.err)).toContain("charge failed");
    expect(JSON.stringify(capture.lines[0]?.err)).toContain("****7890");
  });

  it("writes one line per RPC at the configured level", () => {
    const capture = captureLogLines();
    const log = createLogger({ service: "router", level: "info", destination: capture.destination });
    const rpc = {
      method: "GetPayment",
      caller: "checkout",
      code: 5,
      durationMs: 1.23456,
      transport: "grpc",
    } as const;
    logRpc(log, "debug", rpc);
    expect(capture.lines).toHaveLength(0);
    logRpc(log, "info", rpc);
    expect(capture.lines).toEqual([
      expect.objectContaining({
        level: "info",
        method: "GetPayment",
        caller: "checkout",
        code: "NOT_FOUND",
        duration_ms: 1.235,
      }),
    ]);
  });
});

describe("readLogSettings", () => {
  it("defaults to info, and names a wrong variable with the values it may take", () => {
    expect(readLogSettings({ LOG_LEVEL: "" })).toEqual({ level: "info", rpcLevel: "info" });
    expect(readLogSettings({ LOG_LEVEL: "warn", LOG_RPC_LEVEL: "debug" })).toEqual({
      level: "warn",
      rpcLevel: "debug",
    });
    expect(() => readLogSettings({ LOG_LEVEL: "verbose" })).toThrow(LogSettingsError);
    expect(() => readLogSettings({ LOG_LEVEL: "verbose" })).toThrow(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    );
    expect(() => readLogSettings({ LOG_RPC_LEVEL: "warn" })).toThrow(
      'LOG_RPC_LEVEL must be info or debug, got "warn"',
    );
  });
});
