import { afterEach, describe, expect, it } from "vitest";
import { ControlError } from "./control-error.ts";
import { sendJson } from "./http-io.ts";
import {
  type SimulatorServer,
  type SimulatorServerOptions,
  startSimulatorServer,
} from "./simulator-server.ts";

describe("startSimulatorServer", () => {
  let server: SimulatorServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(options: Partial<SimulatorServerOptions> = {}): Promise<SimulatorServer> {
    server = await startSimulatorServer({
      control: { "GET /sim/stats": () => ({ charges: 0 }) },
      handle: async (_request, response, url) =>
        sendJson(response, 200, { path: url.pathname, q: url.search }),
      ...options,
    });
    return server;
  }

  async function get(url: string): Promise<{ status: number; text: string }> {
    const response = await fetch(url);
    return { status: response.status, text: await response.text() };
  }

  it("listens on a free port at 127.0.0.1 and says where", async () => {
    const { url, port } = await start();
    expect(port).toBeGreaterThan(0);
    expect(url).toBe(`http://127.0.0.1:${port}`);
  });

  it("sends /sim/ paths to the control routes and everything else to the provider handler", async () => {
    const { url } = await start({
      control: {
        "GET /sim/stats": () => ({ charges: 3 }),
        "POST /sim/fail": () => {
          throw new ControlError(409, "no");
        },
      },
    });
    expect(await get(`${url}/sim/stats`)).toEqual({ status: 200, text: '{"charges":3}' });
    expect((await fetch(`${url}/sim/fail`, { method: "POST" })).status).toBe(409);
    expect(await get(`${url}/sim/missing`)).toEqual({
      status: 404,
      text: '{"error":"no control route GET /sim/missing"}',
    });
    expect(await get(`${url}/v1.0/qr/x?date=2026-01-02`)).toEqual({
      status: 200,
      text: '{"path":"/v1.0/qr/x","q":"?date=2026-01-02"}',
    });
  });

  it("answers 500 with the simulator's own last-resort body when a handler fails", async () => {
    const failing = async () => {
      throw new TypeError("bug");
    };
    const { url } = await start({ handle: failing });
    expect(await get(`${url}/anything`)).toEqual({ status: 500, text: '{"error":"simulator error"}' });
    await server?.close();
    const wise = await start({
      handle: failing,
      internalErrorBody: { errors: [{ code: "INTERNAL_ERROR", message: "simulator error" }] },
    });
    expect(await get(`${wise.url}/v1/quotes`)).toEqual({
      status: 500,
      text: '{"errors":[{"code":"INTERNAL_ERROR","message":"simulator error"}]}',
    });
  });

  it("drops the connection when a handler fails after its answer started", async () => {
    const { url } = await start({
      handle: async (_request, response) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.write('{"partial":');
        throw new TypeError("bug");
      },
    });
    await expect(fetch(url).then((response) => response.text())).rejects.toThrow(TypeError);
  });

  it("saves the state before each answer leaves and once more on close; a failed save answers nothing", async () => {
    let charges = 0;
    const saved: number[] = [];
    let failSave = false;
    const { url } = await start({
      control: { "GET /sim/stats": () => ({ charges }) },
      handle: async (_request, response) => {
        charges += 1;
        sendJson(response, 200, { charges });
      },
      saveState: () => {
        if (failSave) throw new Error("disk full");
        saved.push(charges);
      },
    });
    expect(await get(`${url}/v1/charge`)).toEqual({ status: 200, text: '{"charges":1}' });
    expect(saved).toEqual([1]);
    expect(await get(`${url}/sim/stats`)).toEqual({ status: 200, text: '{"charges":1}' });
    failSave = true;
    await expect(fetch(`${url}/v1/charge`).then((response) => response.text())).rejects.toThrow(TypeError);
    failSave = false;
    expect(await get(`${url}/v1/charge`)).toEqual({ status: 200, text: '{"charges":3}' });
    await server?.close();
    server = undefined;
    expect(saved).toEqual([1, 1, 3, 3]);
  });

  it("close() aborts `closing`, drops connections still waiting for an answer and stops listening", async () => {
    const closing = new AbortController();
    let entered: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const { url, port } = await start({
      closing,
      // Never answers: without destroying the connection, close() would wait for it forever.
      handle: async () => entered(),
    });
    const hanging = fetch(`${url}/slow`);
    await waiting;
    await server?.close();
    server = undefined;
    expect(closing.signal.aborted).toBe(true);
    await expect(hanging).rejects.toThrow(TypeError);
    await expect(fetch(`http://127.0.0.1:${port}/sim/stats`)).rejects.toThrow(TypeError);
  });
});
