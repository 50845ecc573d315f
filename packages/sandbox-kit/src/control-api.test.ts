import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { nonNegativeInteger } from "./config-patch.ts";
import { baseControlRoutes, type ControlRoutes, handleControl, readJsonObject } from "./control-api.ts";
import { ControlError, isControlError } from "./control-error.ts";
import { sendJson } from "./http-io.ts";
import { startTestServer, type TestServer } from "./test-server.ts";

describe("handleControl", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A server answering every request with `routes`; an error escaping handleControl becomes a 599. */
  async function serve(routes: ControlRoutes): Promise<string> {
    server = await startTestServer(async (request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url ?? "/", "http://test.invalid");
      await handleControl(routes, request, response, url).catch((error: unknown) =>
        sendJson(response, 599, { escaped: String(error) }),
      );
    });
    return server.url;
  }

  async function call(url: string, method: string, body?: string) {
    const response = await fetch(url, { method, ...(body === undefined ? {} : { body }) });
    return { status: response.status, text: await response.text() };
  }

  it("answers a route's result as 200 JSON, with the JSON body it was sent", async () => {
    const url = await serve({
      "POST /sim/echo": async (request) => ({ got: await readJsonObject(request) }),
      "GET /sim/stats": (_request, requestUrl) => ({ charges: 0, query: requestUrl.searchParams.get("q") }),
    });
    expect(await call(`${url}/sim/echo`, "POST", '{"a":[1,"b"]}')).toEqual({
      status: 200,
      text: '{"got":{"a":[1,"b"]}}',
    });
    expect(await call(`${url}/sim/echo`, "POST")).toEqual({ status: 200, text: '{"got":{}}' });
    expect(await call(`${url}/sim/stats?q=x`, "GET")).toEqual({
      status: 200,
      text: '{"charges":0,"query":"x"}',
    });
  });

  it("answers a ControlError as its status with {error}", async () => {
    const url = await serve({
      "POST /sim/pay": () => {
        throw new ControlError(409, "payment is paid");
      },
    });
    expect(await call(`${url}/sim/pay`, "POST")).toEqual({
      status: 409,
      text: '{"error":"payment is paid"}',
    });
  });

  it("answers 404 for a route nobody serves, the method included", async () => {
    const url = await serve({ "POST /sim/reset": () => ({ reset: true }) });
    expect(await call(`${url}/sim/reset`, "GET")).toEqual({
      status: 404,
      text: '{"error":"no control route GET /sim/reset"}',
    });
    expect((await call(`${url}/sim/toString`, "GET")).status).toBe(404);
  });

  it("answers 400 for a body that is not a JSON object", async () => {
    const url = await serve({ "POST /sim/config": async (request) => readJsonObject(request) });
    expect(await call(`${url}/sim/config`, "POST", "{nope")).toEqual({
      status: 400,
      text: '{"error":"body is not JSON"}',
    });
    for (const body of ["[]", "null", "3", '"text"']) {
      expect(await call(`${url}/sim/config`, "POST", body)).toEqual({
        status: 400,
        text: '{"error":"body must be a JSON object"}',
      });
    }
  });

  it("leaves any other error to the caller", async () => {
    const url = await serve({
      "POST /sim/boom": () => {
        throw new TypeError("bug");
      },
    });
    expect(await call(`${url}/sim/boom`, "POST")).toEqual({
      status: 599,
      text: '{"escaped":"TypeError: bug"}',
    });
  });
});

describe("baseControlRoutes", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("configures with a validated patch, counts and resets", async () => {
    let config = { latencyMs: 0 };
    let resets = 0;
    const routes = baseControlRoutes(
      {
        configure: (patch: Partial<typeof config>) => {
          config = { ...config, ...patch };
          return config;
        },
        stats: () => ({ charges: 2 }),
        reset: () => {
          resets += 1;
        },
      },
      { latencyMs: nonNegativeInteger },
    );
    server = await startTestServer((request, response) =>
      handleControl(routes, request, response, new URL(request.url ?? "/", "http://test.invalid")),
    );
    const call = async (method: string, path: string, body?: string) => {
      const response = await fetch(`${server?.url}${path}`, {
        method,
        ...(body === undefined ? {} : { body }),
      });
      return { status: response.status, text: await response.text() };
    };
    expect(await call("POST", "/sim/config", '{"latencyMs":150}')).toEqual({
      status: 200,
      text: '{"latencyMs":150}',
    });
    expect(await call("POST", "/sim/config", '{"latency":1}')).toEqual({
      status: 400,
      text: '{"error":"unknown config field \\"latency\\""}',
    });
    expect(config).toEqual({ latencyMs: 150 });
    expect(await call("GET", "/sim/stats")).toEqual({ status: 200, text: '{"charges":2}' });
    expect(await call("POST", "/sim/reset")).toEqual({ status: 200, text: '{"reset":true}' });
    expect(resets).toBe(1);
  });
});

describe("isControlError", () => {
  it("recognises the marker, not the class identity", () => {
    expect(isControlError(new ControlError(400, "x"))).toBe(true);
    expect(isControlError({ isControlError: true, status: 404, message: "from another copy" })).toBe(true);
    expect(isControlError(new Error("x"))).toBe(false);
    expect(isControlError(undefined)).toBe(false);
    expect(new ControlError(400, "x")).toMatchObject({ name: "ControlError", status: 400, message: "x" });
  });
});
