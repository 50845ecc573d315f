import { describe, expect, it } from "vitest";
import {
  DEFAULT_ROUTER_ADDRESS,
  DEFAULT_ROUTER_HTTP_URL,
  DEV_TOKEN,
  resolveRouterHttpTarget,
  resolveRouterTarget,
  resolveSandboxUrl,
} from "./cli-config.ts";
import { isCliError } from "./cli-error.ts";
import type { DevStack } from "./dev-stack-file.ts";

const STACK: DevStack = {
  pid: 1,
  startedAt: "2025-01-01T00:00:00.000Z",
  token: "token-from-the-stack-file",
  router: { grpc: "127.0.0.1:41000", http: "http://127.0.0.1:41001" },
  adapters: {
    qris: { address: "127.0.0.1:41002" },
    va: { address: "127.0.0.1:41004" },
    transfer: { address: "127.0.0.1:41006" },
    remittance: { address: "127.0.0.1:41008" },
  },
  sandboxes: {
    qris: { url: "http://127.0.0.1:41003" },
    va: { url: "http://127.0.0.1:41005" },
    transfer: { url: "http://127.0.0.1:41007" },
    remittance: { url: "http://127.0.0.1:41009" },
  },
};

describe("resolveRouterTarget", () => {
  it("prefers flags, then the environment, then the stack file", () => {
    const env = { PAYMESH_ROUTER: "env:1", PAYMESH_TOKEN: "env-token" };
    expect(resolveRouterTarget({ router: "flag:1", token: "flag-token" }, env, STACK)).toEqual({
      address: "flag:1",
      token: "flag-token",
    });
    expect(resolveRouterTarget({}, env, STACK)).toEqual({ address: "env:1", token: "env-token" });
    expect(resolveRouterTarget({}, {}, STACK)).toEqual({ address: "127.0.0.1:41000", token: STACK.token });
  });

  it("falls back to the default port and the dev token without a stack", () => {
    expect(resolveRouterTarget({}, { PAYMESH_ROUTER: "" }, undefined)).toEqual({
      address: DEFAULT_ROUTER_ADDRESS,
      token: DEV_TOKEN,
    });
  });
});

describe("resolveRouterHttpTarget", () => {
  it("prefers flags, then the environment, then the stack file, without a trailing slash", () => {
    const env = { PAYMESH_ROUTER_HTTP: "http://env:1/", PAYMESH_TOKEN: "env-token" };
    expect(
      resolveRouterHttpTarget({ "router-http": "http://flag:1//", token: "flag-token" }, env, STACK),
    ).toEqual({ baseUrl: "http://flag:1", token: "flag-token" });
    expect(resolveRouterHttpTarget({}, env, STACK)).toEqual({ baseUrl: "http://env:1", token: "env-token" });
    expect(resolveRouterHttpTarget({}, {}, STACK)).toEqual({
      baseUrl: "http://127.0.0.1:41001",
      token: STACK.token,
    });
  });

  it("falls back to the default HTTP port and the dev token without a stack", () => {
    expect(resolveRouterHttpTarget({ "router-http": "" }, {}, undefined)).toEqual({
      baseUrl: DEFAULT_ROUTER_HTTP_URL,
      token: DEV_TOKEN,
    });
  });
});

describe("resolveSandboxUrl", () => {
  it("prefers the flag, then PAYMESH_SANDBOX_URL, then the stack file, without a trailing slash", () => {
    expect(resolveSandboxUrl("qris", "http://flag/", { PAYMESH_SANDBOX_URL: "http://env" }, STACK)).toBe(
      "http://flag",
    );
    expect(resolveSandboxUrl("qris", undefined, { PAYMESH_SANDBOX_URL: "http://env" }, STACK)).toBe(
      "http://env",
    );
    expect(resolveSandboxUrl("qris", undefined, {}, STACK)).toBe("http://127.0.0.1:41003");
  });

  it("keeps each simulator apart: its own variable, its own entry in the stack file", () => {
    const env = {
      PAYMESH_SANDBOX_URL: "http://qris-env",
      PAYMESH_TRANSFER_SANDBOX_URL: "http://transfer-env/",
    };
    expect(resolveSandboxUrl("va", undefined, env, STACK)).toBe("http://127.0.0.1:41005");
    expect(resolveSandboxUrl("transfer", undefined, env, STACK)).toBe("http://transfer-env");
    expect(resolveSandboxUrl("remittance", undefined, env, STACK)).toBe("http://127.0.0.1:41009");
  });

  it("says how to get a simulator when there is none", () => {
    let error: unknown;
    try {
      resolveSandboxUrl("qris", undefined, {}, undefined);
    } catch (caught) {
      error = caught;
    }
    expect(isCliError(error) && error.message).toBe(
      'no QRIS simulator URL: start the stack with "./run pnpm start" or pass --sandbox-url',
    );
  });

  it("names the simulator that is missing", () => {
    expect(() => resolveSandboxUrl("remittance", undefined, {}, undefined)).toThrow(
      'no remittance (Wise) simulator URL: start the stack with "./run pnpm start" or pass --sandbox-url',
    );
  });
});
