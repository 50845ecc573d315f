import { describe, expect, it } from "vitest";
import { sendJson } from "./http-io.ts";
import { startSimulator } from "./start-simulator.ts";

describe("startSimulator", () => {
  it("hands out the actions beside url, port and close, and serves control and provider routes", async () => {
    const closing = new AbortController();
    const simulator = await startSimulator({
      listen: { host: "127.0.0.1", port: 0 },
      closing,
      actions: { ping: () => "pong" },
      control: { "GET /sim/stats": () => ({ charges: 0 }) },
      handle: async (_request, response, url) => sendJson(response, 200, { path: url.pathname }),
    });
    try {
      expect(simulator.ping()).toBe("pong");
      expect(simulator.url).toBe(`http://127.0.0.1:${simulator.port}`);
      expect(await (await fetch(`${simulator.url}/sim/stats`)).json()).toEqual({ charges: 0 });
      expect(await (await fetch(`${simulator.url}/v1/x`)).json()).toEqual({ path: "/v1/x" });
    } finally {
      await simulator.close();
    }
    expect(closing.signal.aborted).toBe(true);
  });
});
