import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { cancelRoute } from "./cancel-route.ts";
import { chargeRoute } from "./charge-route.ts";
import { handleControl } from "./control-api.ts";
import { dispatch, sendNotFound } from "./dispatch.ts";
import { sendJson } from "./http-io.ts";
import { createNotifier, type Notifier } from "./notifier.ts";
import { resolveSimulatorOptions, type VaSimulatorOptions } from "./options.ts";
import type { MidtransRoute, RouteContext } from "./route.ts";
import { settlementsRoute } from "./settlements-route.ts";
import { createSimActions, type SimActions } from "./sim-actions.ts";
import { createSimState } from "./sim-state.ts";
import { statusRoute } from "./status-route.ts";

const routes: readonly MidtransRoute[] = [chargeRoute, settlementsRoute, statusRoute, cancelRoute];

/** A running simulator. The control actions are also reachable over HTTP under `/sim/`. */
export interface VaSimulator extends SimActions {
  /** Base URL, e.g. `http://127.0.0.1:41234`: what the adapter's MIDTRANS_BASE_URL points at. */
  readonly url: string;
  readonly port: number;
  /** Stops listening, drops open connections and pending notification retries. */
  close(): Promise<void>;
}

/**
 * Starts a Midtrans Core API simulator for `bank_transfer` virtual accounts (charge, status,
 * cancel, signed HTTP notifications, a settlement report) at 127.0.0.1 on `options.port`
 * (default 0, a free port). Everything is in memory and per instance, so parallel tests each
 * start their own.
 */
export async function createVaSimulator(options: VaSimulatorOptions = {}): Promise<VaSimulator> {
  const resolved = resolveSimulatorOptions(options);
  const closing = new AbortController();
  // The store tells us about lazy expiry; the notifier exists only once the state does.
  let notifier: Notifier | undefined;
  const state = createSimState(resolved, (transaction) => void notifier?.deliver(transaction));
  notifier = createNotifier({ state, signal: closing.signal });
  const actions = createSimActions({ state, notifier, forgedKey: `FAKE-forged-key-${randomUUID()}` });
  const context: RouteContext = { state, notify: (transaction) => void notifier?.deliver(transaction) };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://simulator.invalid");
    if (url.pathname.startsWith("/sim/")) return handleControl(actions, request, response, url);
    const samePath = routes.filter((route) => route.pattern.test(url.pathname));
    const route = samePath.find((candidate) => candidate.method === request.method);
    if (route === undefined) return sendNotFound(response, samePath.length > 0, resolved.newId());
    return dispatch(context, route, request, response, url, closing.signal);
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

  return {
    ...actions,
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
