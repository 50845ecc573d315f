import { createServer } from "node:http";
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
}

/** A running health server. */
export interface RunningHealthServer {
  port: number;
  /** "http://host:port", what a process announces. */
  url: string;
  close(): Promise<void>;
}

/**
 * The HTTP face of a process whose work is served elsewhere (an adapter serves gRPC only):
 * GET /metrics, /healthz and /readyz, nothing else.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<RunningHealthServer> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
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
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
