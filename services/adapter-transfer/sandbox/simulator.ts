import { type SimulatorServer, startSimulatorServer } from "@paymesh/sandbox-kit";
import { dispatchApi, sendNotFound } from "./api-dispatch.ts";
import type { ApiRoute } from "./api-route.ts";
import { createCallbackSender } from "./callback-sender.ts";
import { controlRoutes } from "./control-api.ts";
import { createRoute } from "./create-route.ts";
import { getByExternalIdRoute, getByIdRoute } from "./get-routes.ts";
import { resolveSimulatorOptions, type TransferSimulatorOptions } from "./options.ts";
import { createSimActions, type SimActions } from "./sim-actions.ts";
import { createSimState } from "./sim-state.ts";
import { transactionsRoute } from "./transactions-route.ts";

const routes: readonly ApiRoute[] = [createRoute, getByExternalIdRoute, getByIdRoute, transactionsRoute];

/**
 * A running simulator: `url` is what the adapter's XENDIT_BASE_URL points at; `close()` also drops
 * pending callback retries and automatic completions. The control actions are also reachable over
 * HTTP under `/sim/`.
 */
export interface TransferSimulator extends Omit<SimActions, "onCreated">, SimulatorServer {}

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

  const { onCreated: _internal, ...handleActions } = actions;
  const server = await startSimulatorServer({
    host: resolved.host,
    port: resolved.port,
    closing,
    control: controlRoutes(actions),
    async handle(request, response, url) {
      for (const route of routes) {
        if (route.method !== request.method) continue;
        const params = route.match(url.pathname);
        if (params !== undefined)
          return dispatchApi(context, route, params, request, response, url, closing.signal);
      }
      return sendNotFound(response);
    },
  });
  return { ...handleActions, url: server.url, port: server.port, close: server.close };
}
