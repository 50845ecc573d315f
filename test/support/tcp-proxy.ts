import { connect, createServer, type Socket } from "node:net";

/** A TCP proxy a test can watch and interfere with. */
export interface TcpProxy {
  /** "127.0.0.1:port" to connect to instead of the target. */
  address: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Holds every byte coming back from the target (requests still go through). */
  holdResponses(): void;
  /**
   * Stops holding. A connection whose answer was held is closed rather than resumed mid-answer (its
   * client sees the answer lost, as after a network fault); other connections pass bytes again.
   */
  releaseResponses(): void;
  close(): Promise<void>;
}

/**
 * Starts a proxy to `target` ("host:port"). Holding responses lets a test make the target act
 * (the provider charges) while the caller never hears back — a router dying "after the provider
 * call and before completion".
 */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const [host = "127.0.0.1", port = "0"] = target.split(":");
  const upstreams: Socket[] = [];
  const sockets: Socket[] = [];
  // Client sockets that lost bytes while held: resuming them would hand their client half an answer.
  const starved = new Set<Socket>();
  let held = false;
  let count = 0;
  const server = createServer((socket) => {
    count++;
    const upstream = connect(Number(port), host);
    upstreams.push(upstream);
    sockets.push(socket, upstream);
    socket.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      if (!held) socket.write(chunk);
      else starved.add(socket);
    });
    socket.on("error", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
    socket.on("close", () => upstream.destroy());
    upstream.on("close", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    address: `127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`,
    connections: () => count,
    holdResponses: () => {
      held = true;
    },
    releaseResponses: () => {
      held = false;
      for (const socket of starved) socket.destroy();
      starved.clear();
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
