import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.ts";
import { unusedPort } from "./unused-port.ts";
import { waitFor } from "./wait-for.ts";

/** An echo server that counts the bytes it received. */
let echo: Server;
let echoed = 0;
let proxy: TcpProxy;

beforeAll(async () => {
  echo = createServer((socket) => {
    socket.on("error", () => {});
    socket.on("data", (chunk: Buffer) => {
      echoed += chunk.length;
      socket.write(chunk);
    });
  });
  echo.listen(0, "127.0.0.1");
  await once(echo, "listening");
});
afterEach(async () => {
  await proxy?.close();
});
afterAll(async () => {
  await new Promise((resolve) => echo.close(resolve));
});

function echoPort(): number {
  const address = echo.address();
  if (address === null || typeof address === "string") throw new Error("no echo port");
  return address.port;
}

/** A client connected through the proxy that keeps what it receives and how it ended. */
async function client(): Promise<{ socket: Socket; received: () => string; ended: Promise<string> }> {
  const socket = connect(proxy.port, "127.0.0.1");
  let received = "";
  socket.setEncoding("utf8").on("data", (chunk: string) => {
    received += chunk;
  });
  const ended = new Promise<string>((resolve) => {
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    socket.once("close", () => resolve("closed"));
  });
  await once(socket, "connect");
  return { socket, received: () => received, ended };
}

describe("startTcpProxy", () => {
  it("forwards bytes both ways and counts connections", async () => {
    proxy = await startTcpProxy(`127.0.0.1:${echoPort()}`);
    expect(proxy.address).toBe(`127.0.0.1:${proxy.port}`);
    const { socket, received } = await client();
    socket.write("ping");
    expect(await waitFor(() => (received() === "ping" ? received() : undefined), 2_000)).toBe("ping");
    expect(proxy.accepted).toBe(1);
    socket.destroy();
  });

  it("cut resets a live connection, refuses new ones, and restore lets them through again", async () => {
    proxy = await startTcpProxy({ host: "127.0.0.1", port: echoPort() });
    const live = await client();
    live.socket.write("a");
    await waitFor(() => (live.received() === "a" ? true : undefined), 2_000);
    proxy.cut();
    expect(await live.ended).toBe("ECONNRESET");
    const refused = connect(proxy.port, "127.0.0.1");
    const outcome = await new Promise((resolve) => {
      refused.once("error", (error: NodeJS.ErrnoException) => resolve(error.code));
      refused.once("close", () => resolve("closed"));
    });
    expect(outcome).toBe("ECONNRESET");
    expect(proxy.refused).toBe(1);
    proxy.restore();
    const again = await client();
    again.socket.write("b");
    expect(await waitFor(() => (again.received() === "b" ? "b" : undefined), 2_000)).toBe("b");
    again.socket.destroy();
  });

  it("stall holds bytes on an open connection, and restore delivers them", async () => {
    proxy = await startTcpProxy(`127.0.0.1:${echoPort()}`);
    const { socket, received } = await client();
    const before = echoed;
    proxy.stall();
    socket.write("held");
    await waitFor(() => (proxy.heldBytes === 4 ? true : undefined), 2_000, "the proxy to hold the request");
    expect(echoed).toBe(before); // not even the request got through
    expect(received()).toBe("");
    proxy.restore();
    expect(await waitFor(() => (received() === "held" ? "held" : undefined), 2_000)).toBe("held");
    socket.destroy();
  });

  it("stall('responses') lets the request act but loses the answer with restore({ dropHeld })", async () => {
    proxy = await startTcpProxy(`127.0.0.1:${echoPort()}`);
    const { socket, received, ended } = await client();
    const before = echoed;
    proxy.stall("responses");
    socket.write("charge");
    await waitFor(() => (echoed === before + 6 ? true : undefined), 2_000, "the target to get the request");
    await waitFor(() => (proxy.heldBytes === 6 ? true : undefined), 2_000, "the proxy to hold the answer");
    expect(received()).toBe("");
    proxy.restore({ dropHeld: true });
    expect(await ended).toBe("ECONNRESET");
    expect(received()).toBe("");
  });

  it("a target that is down closes the client's connection", async () => {
    proxy = await startTcpProxy({ host: "127.0.0.1", port: await unusedPort() });
    const { ended } = await client();
    expect(await ended).toBe("closed");
  });
});
