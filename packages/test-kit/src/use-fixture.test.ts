import { describe, expect, it } from "vitest";
import { useFixture } from "./use-fixture.ts";

const calls: string[] = [];

/** A fixture that logs what the kit does with it. */
function counter(name: string) {
  return async () => {
    calls.push(`${name} start`);
    return {
      reset: () => {
        calls.push(`${name} reset`);
      },
      close: () => {
        calls.push(`${name} close`);
      },
    };
  };
}

describe("useFixture", () => {
  const first = useFixture(counter("first"));
  const second = useFixture(counter("second"), () => {
    calls.push("second custom reset");
  });

  it("starts each fixture once before the tests and resets each before every test", () => {
    expect(first()).toBeDefined();
    expect(calls).toEqual(["first start", "second start", "first reset", "second custom reset"]);
  });

  it("resets again for the next test, starting nothing anew", () => {
    expect(second()).toBeDefined();
    expect(calls.slice(4)).toEqual(["first reset", "second custom reset"]);
  });
});

describe("after the fixtures' describe block", () => {
  it("closed them, the later one first", () => {
    expect(calls.slice(-2)).toEqual(["second close", "first close"]);
  });
});
