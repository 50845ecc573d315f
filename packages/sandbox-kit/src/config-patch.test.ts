import { describe, expect, it } from "vitest";
import {
  absoluteUrl,
  baseConfigFields,
  type ConfigFields,
  callbackOrderFields,
  failNextField,
  jsonObject,
  nonNegativeInteger,
  nullable,
  parseConfigPatch,
} from "./config-patch.ts";
import { ControlError, isControlError } from "./control-error.ts";

interface TestConfig {
  notifyUrl: string | undefined;
  latencyMs: number;
  resetConnections: number;
  duplicateCallbacks: boolean;
  reorderCallbacks: boolean;
  failNext: { count: number } | undefined;
}

const fields: ConfigFields<TestConfig> = {
  ...baseConfigFields,
  ...callbackOrderFields,
  failNext: nullable((value, name) => ({
    count: nonNegativeInteger(jsonObject(value, name).count, `${name}.count`),
  })),
};

/** The ControlError a parse throws, as `{status, message}`. */
function rejection(run: () => unknown): { status: number; message: string } | undefined {
  try {
    run();
  } catch (error) {
    if (isControlError(error)) return { status: error.status, message: error.message };
    throw error;
  }
  return undefined;
}

describe("parseConfigPatch", () => {
  it("returns only the fields present, each validated", () => {
    expect(parseConfigPatch(JSON.parse('{"latencyMs":150,"duplicateCallbacks":true}'), fields)).toStrictEqual(
      {
        latencyMs: 150,
        duplicateCallbacks: true,
      },
    );
    expect(parseConfigPatch({}, fields)).toStrictEqual({});
  });

  it("clears a nullable field with null, as an own undefined that overrides the config", () => {
    const patch = parseConfigPatch({ notifyUrl: null, failNext: null }, fields);
    expect(Object.keys(patch)).toEqual(["notifyUrl", "failNext"]);
    const config = { notifyUrl: "http://127.0.0.1:1/hook", failNext: { count: 2 } };
    expect({ ...config, ...patch }).toStrictEqual({ notifyUrl: undefined, failNext: undefined });
  });

  it("rejects an unknown field before validating the others, so a typo never passes silently", () => {
    expect(rejection(() => parseConfigPatch({ latencyMs: -1, failnext: { count: 1 } }, fields))).toEqual({
      status: 400,
      message: 'unknown config field "failnext"',
    });
    expect(rejection(() => parseConfigPatch({ autoCompleteMs: 5 }, { ...baseConfigFields }))).toEqual({
      status: 400,
      message: 'unknown config field "autoCompleteMs"',
    });
  });

  it("names the field at fault, in the order the fields are listed", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ notifyUrl: "not a url" }, "notifyUrl must be an absolute URL"],
      [{ latencyMs: 1.5 }, "latencyMs must be a non-negative integer"],
      [{ resetConnections: -1 }, "resetConnections must be a non-negative integer"],
      [{ latencyMs: null }, "latencyMs must be a non-negative integer"],
      [{ reorderCallbacks: "yes" }, "reorderCallbacks must be true or false"],
      [{ failNext: [] }, "failNext must be an object"],
      [{ failNext: {} }, "failNext.count must be a non-negative integer"],
      [{ failNext: 1, latencyMs: "slow" }, "latencyMs must be a non-negative integer"],
    ];
    for (const [body, message] of cases) {
      expect(rejection(() => parseConfigPatch(body, fields))).toEqual({ status: 400, message });
    }
  });

  it("has field parsers that accept exactly what they say", () => {
    expect(absoluteUrl("http://127.0.0.1:8080/webhooks/qris", "u")).toBe(
      "http://127.0.0.1:8080/webhooks/qris",
    );
    expect(nonNegativeInteger(0, "n")).toBe(0);
    expect(jsonObject({ a: 1 }, "o")).toEqual({ a: 1 });
    expect(rejection(() => jsonObject(null, "o"))).toEqual({ status: 400, message: "o must be an object" });
  });
});

describe("failNextField", () => {
  const failNext = failNextField((spec) => {
    if (typeof spec.code !== "string") throw new ControlError(400, "failNext.code must be a string");
    return { code: spec.code };
  });

  it("hits one request by default, more with count, and clears with null", () => {
    expect(failNext({ code: "X" }, "failNext")).toEqual({ count: 1, code: "X" });
    expect(failNext({ code: "X", count: 3 }, "failNext")).toEqual({ count: 3, code: "X" });
    expect(failNext(null, "failNext")).toBeUndefined();
  });

  it("rejects what is not an object, a bad count, and what the provider's parse rejects", () => {
    expect(() => failNext("X", "failNext")).toThrow("failNext must be an object");
    expect(() => failNext({ code: "X", count: -1 }, "failNext")).toThrow(
      "failNext.count must be a non-negative integer",
    );
    expect(() => failNext({ code: 7 }, "failNext")).toThrow("failNext.code must be a string");
  });
});
