import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dispatchApi, sendNotFound } from "./api-dispatch.ts";
import type { ApiRoute } from "./api-route.ts";
import { createCallbackSender } from "./callback-sender.ts";
import { handleControl } from "./control-api.ts";
import { createRoute } from "./create-route.ts";
import { getByExternalIdRoute, getByIdRoute } from "./get-routes.ts";
import { sendJson } from "./http-io.ts";
import { resolveSimulatorOptions, type TransferSimulatorOptions } from "./options.ts";
import { createSimActions, type SimActions } from "./sim-actions.ts";
import { createSimState } from "./sim-state.ts";
import { transactionsRoute } from "./transactions-route.ts";

const routes: readonly ApiRoute[] = [createRoute, getByExternalIdRoute, getByIdRoute, transactionsRoute];

/** A running simulator. The control actions are also reachable over HTTP under `/sim/`. */
export interface TransferSimulator extends Omit<SimActions, "onCreated"> {
  /** Base URL, e.g. `http://127.0.0.1:41234`: what the adapter's XENDIT_BASE_URL points at. */
  readonly url: string;
  readonly port: number;
  /** Stops listening, drops open connections, pending callback retries and automatic completions. */
  close(): Promise<void>;
}

/**
 * Starts a Xendit Disbursements simulator (create, get by id and by external_id, the transactions
 * report, x-callback-token callbacks with retries) on `options.port` (default 0, a free port) at
 * 127.0.0.1. Everything is in memory and per instance, so parallel tests each start their own.
 */
export async function createTransferSimulator(
  options: TransferSimulatorOptions = {},
): Promise<TransferSimulator> {
  const resolved = resolveSimulatorOptions(options);
  const state = createSimState(resolved);
  const closing = new AbortController();
  const sender = createCallbackSender({ state, signal: closing.signal });
  const actions = createSimActions({ state, sender, signal: closing.signal });
  const context = { state, onCreated: actions.onCreated };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://simulator.invalid");
    if (url.pathname.startsWith("/sim/")) return handleControl(actions, request, response, url);
    for (const route of routes) {
      if (route.method !== request.method) continue;
      const params = route.match(url.pathname);
      if (params !== undefined)
        return dispatchApi(context, route, params, request, response, url, closing.signal);
    }
    return sendNotFound(response);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      // Only reached when the simulator is closing mid-request or the body could not be read.
      if (!response.headersSent && !response.destroyed) sendJson(response, 500, { error: "simulator error" });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const { onCreated: _internal, ...handleActions } = actions;

  return {
    ...handleActions,
    url: `http://${resolved.host}:${port}`,
    port,
    close() {
      closing.abort();
      return new Promise((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      });
    },
  };
}
