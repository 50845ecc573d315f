import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { answerHealth, type Readiness } from "./health.ts";
import type { Metrics } from "./metrics.ts";
import { answerMetrics } from "./metrics-http.ts";

/** Options for {@link startHealthServer}. */
export interface HealthServerOptions {
  metrics: Metrics;
  readiness: () => Promise<Readiness>;
  /** @default "127.0.0.1" */
  host?: string;
  /** @default 0 (a free port; read it from the result) */
  port?: number;
  /**
   * What else the process serves on this port (the reconciler's Connect service): answers a request
   * it takes and returns true; false leaves it to the health server. @default nothing
   */
  handle?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** A running health server. */
export interface RunningHealthServer {
  port: number;
  /** "http://host:port", what a process announces. */
  url: string;
  /** Stops listening, closes idle connections, and after a second any still open. */
  close(): Promise<void>;
}

/**
 * The HTTP face of a process whose work is served elsewhere (an adapter serves gRPC only):
 * GET /metrics, /healthz and /readyz, and what `handle` takes.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<RunningHealthServer> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    if (options.handle?.(req, res)) return;
    const path = new URL(req.url ?? "/", "http://health").pathname;
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET" });
      res.end();
      return;
    }
    if (path === "/metrics") return void answerMetrics(options.metrics, res);
    if (answerHealth(path, options.readiness, res)) return;
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 0);
  return {
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        // An answer being written (a Connect stream's last message) is given a second to finish.
        const force = setTimeout(() => server.closeAllConnections(), 1_000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
