import { describe, expect, it } from "vitest";
import { jsonNumber, parseExactJson, plainDecimal, rewriteJson } from "./exact-json.ts";

describe("exact JSON numbers", () => {
  it("reads every number as its exact source text", () => {
    expect(
      parseExactJson(
        '{"rate":0.0000504,"amount":12345678901234567.89,"id":468956,"small":6.4E-5,"list":[1.10]}',
      ),
    ).toEqual({
      rate: "0.0000504",
      amount: "12345678901234567.89",
      id: "468956",
      small: "0.000064",
      list: ["1.10"],
    });
  });

  it("writes decimal text as bare JSON numbers, and refuses anything else", () => {
    expect(JSON.stringify({ sourceAmount: jsonNumber("1500000.00"), jpy: jsonNumber("10000") })).toBe(
      '{"sourceAmount":1500000.00,"jpy":10000}',
    );
    expect(() => jsonNumber("1e5")).toThrow(RangeError);
    expect(() => jsonNumber("NaN")).toThrow(RangeError);
  });

  it("expands exponent notation", () => {
    expect(plainDecimal("1.2E-5")).toBe("0.000012");
    expect(plainDecimal("1.5e3")).toBe("1500");
    expect(plainDecimal("-2.50E+1")).toBe("-25");
    expect(plainDecimal("1E2")).toBe("100");
    expect(plainDecimal("12.5")).toBe("12.5");
  });

  it("rewrites values and keeps numbers byte-exact", () => {
    expect(rewriteJson('{"a":1.10,"b":"x"}', (key, value) => (key === "b" ? "y" : value))).toBe(
      '{"a":1.10,"b":"y"}',
    );
  });
});
