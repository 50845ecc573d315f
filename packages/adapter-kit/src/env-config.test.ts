import { describe, expect, it } from "vitest";
import { ConfigError, env, readEnv, readListenEnv, readRetryEnv } from "./env-config.ts";

const shape = {
  BASE_URL: env.url(),
  KEY: env.text(),
  TIMEOUT_MS: env.int(1, 600_000).default(10_000),
  SANDBOX: env.flag(),
};

function problem(source: Record<string, string>): ConfigError {
  try {
    readEnv("adapter-x", shape, source);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("readEnv", () => {
  it("reads typed values with defaults, an empty variable counting as unset", () => {
    expect(readEnv("adapter-x", shape, { BASE_URL: "http://127.0.0.1:1", KEY: "k", TIMEOUT_MS: "" })).toEqual(
      {
        BASE_URL: "http://127.0.0.1:1",
        KEY: "k",
        TIMEOUT_MS: 10_000,
        SANDBOX: false,
      },
    );
  });

  it("names the variable at fault and what it must be", () => {
    expect(problem({ KEY: "k" })).toMatchObject({
      variable: "BASE_URL",
      message: "adapter-x: BASE_URL is required",
    });
    expect(problem({ BASE_URL: "nope", KEY: "k" }).message).toBe("adapter-x: BASE_URL is not a URL: nope");
    expect(problem({ BASE_URL: "http://h", KEY: "k", TIMEOUT_MS: "1.5" }).message).toBe(
      'adapter-x: TIMEOUT_MS must be an integer 1–600000, got "1.5"',
    );
    expect(problem({ BASE_URL: "http://h", KEY: "k", SANDBOX: "yes" }).variable).toBe("SANDBOX");
  });
});

describe("readRetryEnv", () => {
  it("reads the prefix's backoff and refuses a cap below the first delay", () => {
    expect(readRetryEnv("adapter-x", "X", { X_HTTP_MAX_ATTEMPTS: "1" })).toEqual({
      maxAttempts: 1,
      initialDelayMs: 100,
      maxDelayMs: 2000,
    });
    expect(() =>
      readRetryEnv("adapter-x", "X", { X_HTTP_INITIAL_DELAY_MS: "500", X_HTTP_MAX_DELAY_MS: "10" }),
    ).toThrow("adapter-x: X_HTTP_MAX_DELAY_MS must not be below X_HTTP_INITIAL_DELAY_MS");
  });
});

describe("env.flag", () => {
  it("defaults to on with .default(true), and is turned off only by 0 or false", () => {
    const on = { CONFIRM: env.flag().default(true) };
    expect(readEnv("adapter-x", on, {}).CONFIRM).toBe(true);
    expect(readEnv("adapter-x", on, { CONFIRM: "" }).CONFIRM).toBe(true);
    expect(readEnv("adapter-x", on, { CONFIRM: "0" }).CONFIRM).toBe(false);
    expect(readEnv("adapter-x", on, { CONFIRM: "false" }).CONFIRM).toBe(false);
    expect(() => readEnv("adapter-x", on, { CONFIRM: "no" })).toThrow('CONFIRM must be "1" or "0"');
  });
});

describe("readListenEnv", () => {
  it("reads ADAPTER_HOST and ADAPTER_PORT with the adapter's default port", () => {
    expect(readListenEnv("adapter-x", 50_070, {})).toEqual({ host: "127.0.0.1", port: 50_070 });
    expect(readListenEnv("adapter-x", 50_070, { ADAPTER_HOST: "0.0.0.0", ADAPTER_PORT: "0" })).toEqual({
      host: "0.0.0.0",
      port: 0,
    });
    expect(() => readListenEnv("adapter-x", 50_070, { ADAPTER_PORT: "70000" })).toThrow(
      "adapter-x: ADAPTER_PORT must be an integer 0–65535",
    );
  });
});
