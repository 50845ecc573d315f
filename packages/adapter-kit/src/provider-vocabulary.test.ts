import { processMetrics } from "@paymesh/telemetry";
import { sampleValue } from "@paymesh/telemetry/testing";
import { describe, expect, it } from "vitest";
import { reportUnknownProviderValue, unknownProviderValueCounts } from "./provider-vocabulary.ts";

describe("reportUnknownProviderValue", () => {
  it("writes one warning naming the adapter and the raw value, and counts it", async () => {
    const exported = async () =>
      sampleValue((await processMetrics().exposition()).text, "paymesh_unknown_provider_values_total", {
        adapter: "adapter-x",
        field: "status",
      });
    const exportedBefore = await exported();
    const lines: Array<Record<string, unknown>> = [];
    const before = unknownProviderValueCounts().find((row) => row.adapter === "adapter-x")?.count ?? 0;
    reportUnknownProviderValue(
      { adapter: "adapter-x", field: "status", value: "NEW_CODE", paymentId: "pay_1" },
      (line) => lines.push(line),
    );
    expect(lines).toEqual([
      expect.objectContaining({
        level: "warn",
        service: "adapter-x",
        event: "unknown_provider_value",
        field: "status",
        value: "NEW_CODE",
        paymentId: "pay_1",
      }),
    ]);
    expect(typeof lines[0]?.at).toBe("string");
    expect(unknownProviderValueCounts()).toContainEqual({
      adapter: "adapter-x",
      field: "status",
      count: before + 1,
    });
    expect(await exported()).toBe(exportedBefore + 1);
  });
});
