import { connect, createServer, type Server, type Socket } from "node:net";

/** A TCP proxy whose link a test can break in the two ways networks break. */
export interface TcpProxy {
  readonly port: number;
  /** Connection refused-like: drops every connection and closes new ones on arrival. */
  cut(): void;
  /** Partition-like: connections stay open but no bytes flow, so only timeouts can notice. */
  stall(): void;
  /** Back to forwarding; stalled bytes are delivered, as TCP would after a partition heals. */
  restore(): void;
  close(): Promise<void>;
}

/**
 * Starts a proxy on 127.0.0.1 port 0 in front of `target`. Tests use it to take a real Redis away
 * from a client and give it back, without touching the Redis other tests share.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: "open" | "cut" | "stalled" = "open";
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    // Resets are what this proxy is for; an unhandled "error" would crash the test worker.
    socket.on("error", () => socket.destroy());
  };

  const server: Server = createServer((client) => {
    track(client);
    if (mode === "cut") {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    track(upstream);
    // Plain "data" forwarding, not pipe(): pipe would resume a socket stall() paused.
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => client.write(chunk));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    if (mode === "stalled") {
      client.pause();
      upstream.pause();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no TCP port");

  return {
    port: address.port,
    cut() {
      mode = "cut";
      for (const socket of sockets) socket.destroy();
    },
    stall() {
      mode = "stalled";
      for (const socket of sockets) socket.pause();
    },
    restore() {
      mode = "open";
      for (const socket of sockets) socket.resume();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: bound once by us, then released. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP port");
  return address.port;
}
