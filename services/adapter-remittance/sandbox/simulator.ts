import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { balanceStatementRoute, listBalancesRoute } from "./balance-routes.ts";
import { handleControl } from "./control-api.ts";
import { fundTransferRoute } from "./funding-route.ts";
import { sendJson } from "./http-io.ts";
import { createNotifier } from "./notifier.ts";
import { type RemittanceSimulatorOptions, resolveSimulatorOptions } from "./options.ts";
import { createQuoteRoute, getQuoteRoute } from "./quote-routes.ts";
import { createRecipientRoute } from "./recipient-route.ts";
import { createSimActions, type SimActions } from "./sim-actions.ts";
import { createSimState } from "./sim-state.ts";
import {
  cancelTransferRoute,
  createTransferRoute,
  getTransferRoute,
  listTransfersRoute,
} from "./transfer-routes.ts";
import { dispatchWise, sendNotFound } from "./wise-dispatch.ts";
import type { WiseRoute } from "./wise-route.ts";

const routes: readonly WiseRoute[] = [
  createQuoteRoute,
  getQuoteRoute,
  createRecipientRoute,
  createTransferRoute,
  getTransferRoute,
  listTransfersRoute,
  cancelTransferRoute,
  fundTransferRoute,
  listBalancesRoute,
  balanceStatementRoute,
];

/** A running simulator. The control actions are also reachable over HTTP under `/sim/`. */
export interface RemittanceSimulator extends SimActions {
  /** Base URL, e.g. `http://127.0.0.1:41234`: what the adapter's WISE_BASE_URL points at. */
  readonly url: string;
  readonly port: number;
  /** The profile id and API token clients must use. */
  readonly profileId: string;
  readonly apiToken: string;
  /** Stops listening, drops open connections and pending webhook retries. */
  close(): Promise<void>;
}

/**
 * Starts a Wise-style API simulator (quotes, recipients, transfers, balance funding, cancellation,
 * balance statements, RSA-signed `transfers#state-change` webhooks) on `options.port` (default 0,
 * a free port) at 127.0.0.1. Everything is in memory and per instance, so parallel tests each start
 * their own.
 */
export async function createRemittanceSimulator(
  options: RemittanceSimulatorOptions = {},
): Promise<RemittanceSimulator> {
  const resolved = resolveSimulatorOptions(options);
  const state = createSimState(resolved);
  const closing = new AbortController();
  const notifier = createNotifier({ state, signal: closing.signal });
  // A key no receiver trusts, for `forged` webhooks: made per instance so it is never on disk.
  const forgedKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const actions = createSimActions({ state, notifier, forgedKey });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://simulator.invalid");
    if (url.pathname.startsWith("/sim/")) return handleControl(actions, request, response, url);
    const matching = routes
      .map((route) => ({ route, match: route.pattern.exec(url.pathname) }))
      .filter((candidate) => candidate.match !== null);
    const found = matching.find((candidate) => candidate.route.method === request.method);
    if (found === undefined || found.match === null) return sendNotFound(response, matching.length > 0);
    const params = found.match.slice(1).map((group) => group ?? "");
    return dispatchWise({ state, notifier }, found.route, params, request, response, url, closing.signal);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      // Only reached when the simulator is closing mid-request or the body could not be read.
      if (!response.headersSent && !response.destroyed) {
        sendJson(response, 500, { errors: [{ code: "INTERNAL_ERROR", message: "simulator error" }] });
      } else response.destroy();
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
    profileId: resolved.profileId,
    apiToken: resolved.apiToken,
    close() {
      closing.abort();
      return new Promise((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      });
    },
  };
}
