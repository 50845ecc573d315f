import { createServer, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ControlRoutes, handleControl } from "./control-api.ts";
import { sendJson } from "./http-io.ts";

/** What a simulator's HTTP server needs: where to listen, its control routes, its provider routes. */
export interface SimulatorServerOptions {
  /** @default "127.0.0.1" */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
  /** The `/sim/` control API; every path under `/sim/` goes here. */
  control: ControlRoutes;
  /** Serves every other path: the provider's API, answering in the provider's shapes. */
  handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void>;
  /**
   * Aborted first by `close()`, so notification retries and latency waits stop before the
   * connections are dropped.
   */
  closing?: AbortController;
  /**
   * The 500 answer when a handler fails unexpectedly (the simulator closing mid-request, an unreadable
   * body), before anything was written. @default {"error":"simulator error"}
   */
  internalErrorBody?: unknown;
  /**
   * Keeps the simulator's state (see openDurableState): called before every answer leaves, so no
   * answer reports a payment a restart would forget, and once more on close. A save that throws
   * drops the connection instead of answering. @default nothing (in memory)
   */
  saveState?: () => void;
}

/** A listening simulator server. */
export interface SimulatorServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`: what an adapter's base URL points at. */
  readonly url: string;
  readonly port: number;
  /** Aborts `closing`, stops listening and destroys open connections (keep-alive ones included). */
  close(): Promise<void>;
}

/**
 * Starts a simulator's HTTP server and resolves once it listens. Requests are parsed against a
 * placeholder origin, since only the path and query matter; a failure nobody answered becomes a 500
 * (or, once the answer has started, a destroyed connection) rather than a hung client.
 */
export async function startSimulatorServer(options: SimulatorServerOptions): Promise<SimulatorServer> {
  const host = options.host ?? "127.0.0.1";
  const internalErrorBody = options.internalErrorBody ?? { error: "simulator error" };

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://simulator.invalid");
    if (url.pathname.startsWith("/sim/")) return handleControl(options.control, request, response, url);
    return options.handle(request, response, url);
  }

  const saveState = options.saveState ?? (() => {});
  const server = createServer(
    { IncomingMessage, ServerResponse: savingResponse(saveState) },
    (request, response) => {
      route(request, response).catch(() => {
        try {
          if (!response.headersSent && !response.destroyed) return sendJson(response, 500, internalErrorBody);
        } catch {
          // The state could not be saved for the 500 either: no answer at all.
        }
        response.destroy();
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    port,
    close() {
      options.closing?.abort();
      return new Promise((resolve, reject) => {
        server.close((error) => {
          if (error !== undefined) return reject(error);
          try {
            saveState();
            resolve();
          } catch (saveError) {
            reject(saveError);
          }
        });
        server.closeAllConnections();
      });
    },
  };
}

/**
 * A ServerResponse that saves the state before its answer goes out: headers and body are written to
 * the socket only by `end()` (every answer is one `sendJson`), so saving there covers every route.
 */
function savingResponse(saveState: () => void): typeof ServerResponse<IncomingMessage> {
  return class SavingResponse extends ServerResponse<IncomingMessage> {
    override end(...args: unknown[]): this {
      saveState();
      return (super.end as (...parts: unknown[]) => this)(...args);
    }
  };
}
