import { describe, expect, it } from "vitest";
import { jsonObject, jsonObjectOf, jsonValue } from "./provider-answer.ts";
import type { ProviderAnswer } from "./provider-client.ts";
import { isProviderTransportError } from "./provider-transport-error.ts";

function answer(text: string, status = 200): ProviderAnswer<"read"> {
  const exchange = {
    operation: "read" as const,
    httpMethod: "GET",
    url: "u",
    requestBody: "",
    responseStatus: status,
    startedAt: new Date(0),
    durationMicros: 1,
  };
  return { status, headers: new Headers(), text, exchange, exchanges: [exchange] };
}

function malformed(read: () => unknown): string | undefined {
  try {
    read();
  } catch (error) {
    if (isProviderTransportError(error)) return error.exchange.transportError;
    throw error;
  }
  return undefined;
}

describe("jsonObject", () => {
  it("reads numbers as exact text when asked, plain numbers otherwise", () => {
    const body = '{"id":12345678901234567890,"amount":100.50}';
    expect(jsonObject(answer(body), { exact: true })).toEqual({
      id: "12345678901234567890",
      amount: "100.50",
    });
    expect(jsonObject(answer(body)).amount).toBe(100.5);
  });

  it("an answer that is not a JSON object is malformed", () => {
    expect(malformed(() => jsonObject(answer("[1]")))).toBe("malformed answer: not a JSON object (HTTP 200)");
    expect(malformed(() => jsonObject(answer("<html>", 502), { exact: true }))).toBe(
      "malformed answer: not JSON (HTTP 502)",
    );
  });
});

describe("jsonValue", () => {
  it("reads any JSON, a list included, and refuses what is not JSON", () => {
    expect(jsonValue(answer('[{"id":468956}]'), { exact: true })).toEqual([{ id: "468956" }]);
    expect(malformed(() => jsonValue(answer("cut off {")))).toBe("malformed answer: not JSON (HTTP 200)");
  });
});

describe("jsonObjectOf", () => {
  it("is undefined, never a throw, for text that is not a JSON object", () => {
    expect(jsonObjectOf('{"status_code":"503"}')).toEqual({ status_code: "503" });
    expect(jsonObjectOf('{"n":1.10}', { exact: true })).toEqual({ n: "1.10" });
    expect(jsonObjectOf("<html>")).toBeUndefined();
    expect(jsonObjectOf("[]")).toBeUndefined();
  });
});
