import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";

/** Where a {@link TcpProxy} forwards to: `{ host, port }` or `"host:port"`. */
export type TcpTarget = { host: string; port: number } | string;

/**
 * A TCP proxy on 127.0.0.1 that a test breaks the ways networks break, to take a shared backend
 * (a broker, Redis, a provider) away from one client without disturbing the other tests using it.
 */
export interface TcpProxy {
  /** The port it listens on (chosen by the OS). */
  readonly port: number;
  /** `127.0.0.1:<port>`: what to connect to instead of the target. */
  readonly address: string;
  /** Connections forwarded so far. */
  readonly accepted: number;
  /** Connections refused while cut: each is one connection attempt made during the outage. */
  readonly refused: number;
  /** Bytes held by a stall so far, both directions: what a test waits on to know a stall bit. */
  readonly heldBytes: number;
  /**
   * A pulled cable: resets every open connection on both sides (the client sees it die mid-stream,
   * the target sees its peer vanish) and refuses new ones with a reset until {@link restore}.
   */
  cut(): void;
  /**
   * A partition: connections stay open but bytes stop, on open and new connections, so only
   * timeouts notice. "responses" holds only what the target sends (the target acts on a request
   * whose answer never comes back); "both" also holds what the client sends.
   */
  stall(direction?: "both" | "responses"): void;
  /**
   * Forwards again. Held bytes are delivered, as TCP does when a partition heals, unless
   * `dropHeld`: then a connection that held any is reset instead, so its client sees the answer
   * lost rather than late.
   */
  restore(options?: { dropHeld?: boolean }): void;
  /** Resets everything and stops listening. */
  close(): Promise<void>;
}

/** One forwarded connection and the bytes it holds while stalled. */
interface Link {
  client: Socket;
  upstream: Socket;
  toUpstream: Buffer[];
  toClient: Buffer[];
}

function parseTarget(target: TcpTarget): { host: string; port: number } {
  if (typeof target !== "string") return target;
  const [host = "", port = ""] = target.split(":");
  return { host: host === "" ? "127.0.0.1" : host, port: Number(port) };
}

/** Starts a {@link TcpProxy} in front of `target`, forwarding until told otherwise. */
export async function startTcpProxy(target: TcpTarget): Promise<TcpProxy> {
  const { host, port } = parseTarget(target);
  const links = new Set<Link>();
  let isCut = false;
  let stalled: "none" | "both" | "responses" = "none";
  let accepted = 0;
  let refused = 0;
  let heldBytes = 0;

  const relay = (link: Link, toClient: boolean, chunk: Buffer): void => {
    const held = toClient ? stalled !== "none" : stalled === "both";
    if (held) {
      heldBytes += chunk.length;
      (toClient ? link.toClient : link.toUpstream).push(chunk);
    } else (toClient ? link.client : link.upstream).write(chunk);
  };

  const server = createServer((client) => {
    // Resets are what this proxy is for; an unhandled "error" would crash the test worker.
    client.on("error", () => {});
    if (isCut) {
      refused++;
      // A reset, like a host whose service is down: the client fails at once instead of hanging.
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = connect(port, host);
    upstream.on("error", () => {});
    const link: Link = { client, upstream, toUpstream: [], toClient: [] };
    links.add(link);
    // Plain "data" forwarding, not pipe(): stalled bytes must be held here, not read by a pipe.
    client.on("data", (chunk: Buffer) => relay(link, false, chunk));
    upstream.on("data", (chunk: Buffer) => relay(link, true, chunk));
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
    const end = (): void => {
      links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end);
    upstream.on("close", end);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no TCP address");

  const cut = (): void => {
    isCut = true;
    stalled = "none";
    for (const link of links) {
      link.client.resetAndDestroy();
      link.upstream.resetAndDestroy();
    }
    links.clear();
  };

  return {
    port: address.port,
    address: `127.0.0.1:${address.port}`,
    get accepted() {
      return accepted;
    },
    get heldBytes() {
      return heldBytes;
    },
    get refused() {
      return refused;
    },
    cut,
    stall(direction = "both") {
      stalled = direction;
    },
    restore(options = {}) {
      isCut = false;
      stalled = "none";
      for (const link of links) {
        const held = [...link.toClient.splice(0)];
        const sent = [...link.toUpstream.splice(0)];
        if (options.dropHeld === true && (held.length > 0 || sent.length > 0)) {
          link.client.resetAndDestroy();
          link.upstream.resetAndDestroy();
          continue;
        }
        for (const chunk of sent) link.upstream.write(chunk);
        for (const chunk of held) link.client.write(chunk);
      }
    },
    async close() {
      cut();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
