import { describe, expect, it } from "vitest";
import { readTracingConfig, TracingConfigError } from "./tracing-config.ts";

function problem(source: Record<string, string>): TracingConfigError {
  try {
    readTracingConfig("router", source);
  } catch (error) {
    if (error instanceof TracingConfigError) return error;
    throw error;
  }
  throw new Error("expected a TracingConfigError");
}

describe("readTracingConfig", () => {
  it("exports nothing when no OTEL_* variable asks for it", () => {
    expect(readTracingConfig("router", {})).toBeUndefined();
    expect(
      readTracingConfig("router", { OTEL_SERVICE_NAME: "router-a", OTEL_EXPORTER_OTLP_ENDPOINT: "" }),
    ).toBe(undefined);
  });

  it("exports once an endpoint or OTEL_TRACES_EXPORTER=otlp asks, with the OTLP defaults", () => {
    const expected = {
      serviceName: "router",
      protocol: "http/protobuf",
      sampler: { kind: "parentbased_always_on" },
      scheduledDelayMillis: 5000,
    };
    expect(readTracingConfig("router", { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).toEqual(
      expected,
    );
    expect(
      readTracingConfig("router", { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://c:4318/v1/traces" }),
    ).toEqual(expected);
    expect(readTracingConfig("router", { OTEL_TRACES_EXPORTER: "otlp" })).toEqual(expected);
  });

  it("reads the name, protocol (the traces one first), sampler and batch delay", () => {
    expect(
      readTracingConfig("router", {
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
        OTEL_SERVICE_NAME: "router-eu",
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json",
        OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
        OTEL_TRACES_SAMPLER_ARG: "0.25",
        OTEL_BSP_SCHEDULE_DELAY: "100",
      }),
    ).toEqual({
      serviceName: "router-eu",
      protocol: "http/json",
      sampler: { kind: "parentbased_traceidratio", ratio: 0.25 },
      scheduledDelayMillis: 100,
    });
  });

  it("lets OTEL_SDK_DISABLED and OTEL_TRACES_EXPORTER=none turn an endpoint off", () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" };
    expect(readTracingConfig("router", { ...endpoint, OTEL_SDK_DISABLED: "true" })).toBeUndefined();
    expect(readTracingConfig("router", { ...endpoint, OTEL_TRACES_EXPORTER: "none" })).toBeUndefined();
  });

  it("names the variable at fault and what it must be", () => {
    expect(problem({ OTEL_TRACES_EXPORTER: "jaeger" }).message).toBe(
      'telemetry: OTEL_TRACES_EXPORTER must be "otlp" or "none"',
    );
    expect(problem({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318 " }).variable).toBe(
      "OTEL_EXPORTER_OTLP_ENDPOINT",
    );
    expect(problem({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }).message).toMatch(/not supported here/);
    expect(problem({ OTEL_BSP_SCHEDULE_DELAY: "-1" }).variable).toBe("OTEL_BSP_SCHEDULE_DELAY");
    expect(problem({ OTEL_TRACES_SAMPLER_ARG: "2" }).variable).toBe("OTEL_TRACES_SAMPLER_ARG");
    expect(problem({ OTEL_SDK_DISABLED: "yes" }).variable).toBe("OTEL_SDK_DISABLED");
  });
});
