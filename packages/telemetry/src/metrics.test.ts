import { describe, expect, it } from "vitest";
import { createMetrics, grpcCodeName, rpcDurationHistogram } from "./metrics.ts";
import { scrapeRead } from "./metrics-scrape.ts";
import { promtoolProblems, sampleValue } from "./metrics-testing.ts";

describe("metrics", () => {
  it("counts RPCs by method and code, with default process metrics, and passes promtool", async () => {
    const metrics = createMetrics();
    const rpc = rpcDurationHistogram(metrics);
    rpc.observe({ method: "CreatePayment", code: grpcCodeName(0), transport: "grpc" }, 0.03);
    rpc.observe({ method: "CreatePayment", code: grpcCodeName(3), transport: "connect" }, 2);
    const { text, contentType } = await metrics.exposition();
    expect(contentType).toContain("text/plain");
    const ok = { method: "CreatePayment", code: "OK", transport: "grpc" };
    expect(sampleValue(text, "paymesh_rpc_duration_seconds_count", ok)).toBe(1);
    expect(sampleValue(text, "paymesh_rpc_duration_seconds_bucket", { ...ok, le: "0.05" })).toBe(1);
    expect(sampleValue(text, "paymesh_rpc_duration_seconds_bucket", { ...ok, le: "0.025" })).toBe(0);
    expect(sampleValue(text, "paymesh_rpc_duration_seconds_count", { code: "INVALID_ARGUMENT" })).toBe(1);
    expect(sampleValue(text, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(promtoolProblems(text)).toBe("");
  });

  it("returns the declared metric when a name is declared again, and refuses other labels", () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const first = metrics.counter("paymesh_test_total", "A test counter.", ["adapter"]);
    expect(metrics.counter("paymesh_test_total", "A test counter.", ["adapter"])).toBe(first);
    expect(() => metrics.counter("paymesh_test_total", "A test counter.", ["kind"])).toThrow(/other labels/);
    expect(() => metrics.gauge("paymesh_test_total", "A gauge now.", ["adapter"])).toThrow(/another type/);
  });

  it("sets scrape-time gauges from one shared backend read, and keeps the last value when it hangs", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    let reads = 0;
    let answer: () => Promise<number> = async () => 7;
    const read = scrapeRead(() => {
      reads++;
      return answer();
    }, 50);
    for (const name of ["paymesh_test_a", "paymesh_test_b"]) {
      metrics.gauge(name, "A test gauge.", [], async (gauge) => {
        const value = await read();
        if (value !== undefined) gauge.set(value);
      });
    }
    const first = (await metrics.exposition()).text;
    expect(sampleValue(first, "paymesh_test_a")).toBe(7);
    expect(sampleValue(first, "paymesh_test_b")).toBe(7);
    expect(reads).toBe(1);
    answer = () => new Promise(() => {});
    const second = (await metrics.exposition()).text;
    expect(sampleValue(second, "paymesh_test_a")).toBe(7);
    expect(reads).toBe(2);
  });

  it("makes promtool complain about a malformed exposition", () => {
    expect(promtoolProblems("# TYPE bad_metric counter\nbad_metric 1\n")).toMatch(/_total/);
  });
});
