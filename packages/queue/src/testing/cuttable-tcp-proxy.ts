import { once } from "node:events";
import { createConnection, createServer, type Socket } from "node:net";

/** Where a {@link CuttableTcpProxy} forwards to. */
export interface TcpTarget {
  host: string;
  port: number;
}

/**
 * A TCP proxy on 127.0.0.1 that a test can cut like a pulled cable, to take a shared broker away
 * from one client without restarting it for every other test file that uses it.
 */
export interface CuttableTcpProxy {
  /** The port it listens on (chosen by the OS). */
  readonly port: number;
  /** Connections forwarded so far. */
  readonly accepted: number;
  /** Connections refused while cut: each is one connection attempt a client made during the outage. */
  readonly refused: number;
  /** Resets every open connection on both sides and refuses new ones until {@link restore}. */
  cut(): void;
  /**
   * Holds every byte from the broker to the client on the open connections, keeping them open: a
   * broker that stops answering without closing anything (a half-open socket, flow control), so
   * publishes wait for confirms that do not come. {@link cut} ends it.
   */
  stall(): void;
  /** Forwards new connections again. */
  restore(): void;
  /** Cuts and stops listening. */
  close(): Promise<void>;
}

/** Starts a {@link CuttableTcpProxy} in front of `target`, forwarding until cut. */
export async function startCuttableTcpProxy(target: TcpTarget): Promise<CuttableTcpProxy> {
  const open = new Set<{ client: Socket; upstream: Socket }>();
  let isCut = false;
  let isStalled = false;
  let accepted = 0;
  let refused = 0;

  const server = createServer((client) => {
    client.on("error", () => {});
    if (isCut) {
      refused++;
      // An RST, like a host whose service is down: the client fails at once instead of hanging.
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = createConnection(target);
    upstream.on("error", () => {});
    const pair = { client, upstream };
    open.add(pair);
    const end = (): void => {
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end);
    upstream.on("close", end);
    client.pipe(upstream);
    upstream.pipe(client);
    if (isStalled) upstream.unpipe(client);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no TCP address");

  const cut = (): void => {
    isCut = true;
    isStalled = false;
    for (const { client, upstream } of open) {
      // Reset, not a graceful FIN: the client sees the connection die mid-stream, and the broker
      // sees its peer vanish and requeues what that connection held unacked.
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    open.clear();
  };

  return {
    port: address.port,
    get accepted() {
      return accepted;
    },
    get refused() {
      return refused;
    },
    cut,
    stall() {
      isStalled = true;
      for (const { client, upstream } of open) upstream.unpipe(client);
    },
    restore() {
      isCut = false;
    },
    async close() {
      cut();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
