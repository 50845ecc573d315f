import { afterEach, describe, expect, it } from "vitest";
import { callControl } from "./control-client.ts";
import { readBody, sendJson } from "./http-io.ts";
import { startTestServer, type TestServer } from "./test-server.ts";

describe("callControl", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("sends the method, path and JSON body it is given, and none without one", async () => {
    server = await startTestServer(async (request, response) => {
      const body = (await readBody(request)).toString("utf8");
      sendJson(response, 200, { method: request.method, path: request.url, body });
    });
    const posted = await callControl(server.url, "POST", "/sim/config", { latencyMs: 5 });
    expect(await posted.json()).toEqual({ method: "POST", path: "/sim/config", body: '{"latencyMs":5}' });
    const read = await callControl(server.url, "GET", "/sim/stats");
    expect(await read.json()).toEqual({ method: "GET", path: "/sim/stats", body: "" });
  });
});
