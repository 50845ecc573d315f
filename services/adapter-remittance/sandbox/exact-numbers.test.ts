import { describe, expect, it } from "vitest";
import { exactNumber, readExactJson } from "./exact-numbers.ts";

describe("the simulator's exact JSON numbers", () => {
  it("reads every number as its decimal text, exponents written out", () => {
    expect(readExactJson('{"a":1500000.00,"id":50000001,"r":1.2E-5,"b":-2.50E+1,"c":[1E2,0.05e1]}')).toEqual({
      a: "1500000.00",
      id: "50000001",
      r: "0.000012",
      b: "-25",
      c: ["100", "0.5"],
    });
  });

  it("writes decimal text as bare numbers with exactly its digits, and refuses anything else", () => {
    expect(JSON.stringify({ amount: exactNumber("67.65"), jpy: exactNumber("10000") })).toBe(
      '{"amount":67.65,"jpy":10000}',
    );
    expect(() => exactNumber("1e5")).toThrow(RangeError);
  });
});
