import { afterEach, describe, expect, it } from "vitest";
import { type FailNext, type FaultConfig, noFaults } from "./fault-injection.ts";
import { readBody } from "./http-io.ts";
import { answerProviderRequest, findRoute, type ProviderRequestHandling } from "./provider-request.ts";
import { startTestServer, type TestServer } from "./test-server.ts";

describe("findRoute", () => {
  const routes = [
    { method: "GET", path: "/v1/things" },
    { method: "POST", path: "/v1/things" },
    { method: "GET", path: "/v1/other" },
  ];
  const byPath = (pathname: string) => (route: { path: string }) =>
    route.path === pathname ? { pathname } : undefined;

  it("finds the route of the method among those serving the path, with what the path gave", () => {
    expect(findRoute(routes, "POST", byPath("/v1/things"))).toEqual({
      route: routes[1],
      params: { pathname: "/v1/things" },
    });
  });

  it("tells a known path with another method (405) from an unknown path (404)", () => {
    expect(findRoute(routes, "PUT", byPath("/v1/things"))).toEqual({ route: undefined, wrongMethod: true });
    expect(findRoute(routes, "GET", byPath("/v1/none"))).toEqual({ route: undefined, wrongMethod: false });
  });
});

describe("answerProviderRequest", () => {
  interface Fail extends FailNext {
    code: string;
  }
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Serves every request with `handling`, the body read first as a simulator does. */
  async function serve(config: FaultConfig<Fail>, handling: Partial<ProviderRequestHandling<Fail>>) {
    server = await startTestServer(async (request, response) => {
      const rawBody = await readBody(request);
      await answerProviderRequest(request, response, {
        config,
        signal: new AbortController().signal,
        injected: (failNext) => ({ status: 503, body: { injected: failNext.code } }),
        handle: () => ({ status: 200, body: { echo: rawBody.toString("utf8") } }),
        failed: () => ({ status: 500, body: { failed: true } }),
        ...handling,
      }).catch(() => response.destroy());
    });
    return server.url;
  }

  async function post(url: string) {
    const response = await fetch(url, { method: "POST", body: "hi" });
    return { status: response.status, body: await response.json() };
  }

  it("answers the route's answer when no fault is set", async () => {
    const url = await serve(noFaults(), {});
    expect(await post(url)).toEqual({ status: 200, body: { echo: "hi" } });
  });

  it("answers the injected error while failNext lasts, then processes again", async () => {
    const config: FaultConfig<Fail> = { ...noFaults(), failNext: { count: 1, code: "BUSY" } };
    const url = await serve(config, {});
    expect(await post(url)).toEqual({ status: 503, body: { injected: "BUSY" } });
    expect(await post(url)).toEqual({ status: 200, body: { echo: "hi" } });
  });

  it("lets faults pass a route they do not apply to, and an endpoint-aimed failNext pass others", async () => {
    const config: FaultConfig<Fail> = { ...noFaults(), failNext: { count: 1, code: "BUSY" } };
    expect(await post(await serve(config, { faultsApply: false }))).toMatchObject({ status: 200 });
    await server?.close();
    expect(await post(await serve(config, { failNextApplies: () => false }))).toMatchObject({ status: 200 });
    expect(config.failNext?.count).toBe(1);
  });

  it("drops the connection for a reset, answering nothing", async () => {
    const url = await serve({ ...noFaults(), resetConnections: 1 }, {});
    await expect(post(url)).rejects.toThrow();
    expect(await post(url)).toMatchObject({ status: 200 });
  });

  it("answers the provider's answer to what the route threw; a rethrow escapes", async () => {
    const url = await serve(noFaults(), {
      handle() {
        throw new Error("route broke");
      },
    });
    expect(await post(url)).toEqual({ status: 500, body: { failed: true } });
    await server?.close();
    const rethrowing = await serve(noFaults(), {
      handle() {
        throw new Error("route broke");
      },
      failed(error) {
        throw error;
      },
    });
    await expect(post(rethrowing)).rejects.toThrow();
  });
});
