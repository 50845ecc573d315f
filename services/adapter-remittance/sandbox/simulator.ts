import { generateKeyPairSync } from "node:crypto";
import { type SimulatorServer, startSimulatorServer } from "@paymesh/sandbox-kit";
import { balanceStatementRoute, listBalancesRoute } from "./balance-routes.ts";
import { controlRoutes } from "./control-api.ts";
import { fundTransferRoute } from "./funding-route.ts";
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

/**
 * A running simulator: `url` is what the adapter's WISE_BASE_URL points at; `close()` also drops
 * pending webhook retries. The control actions are also reachable over HTTP under `/sim/`.
 */
export interface RemittanceSimulator extends SimActions, SimulatorServer {
  /** The profile id and API token clients must use. */
  readonly profileId: string;
  readonly apiToken: string;
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

  const server = await startSimulatorServer({
    host: resolved.host,
    port: resolved.port,
    closing,
    control: controlRoutes(actions),
    async handle(request, response, url) {
      const matching = routes
        .map((route) => ({ route, match: route.pattern.exec(url.pathname) }))
        .filter((candidate) => candidate.match !== null);
      const found = matching.find((candidate) => candidate.route.method === request.method);
      if (found === undefined || found.match === null) return sendNotFound(response, matching.length > 0);
      const params = found.match.slice(1).map((group) => group ?? "");
      return dispatchWise({ state, notifier }, found.route, params, request, response, url, closing.signal);
    },
    // Even the last-resort answer keeps Wise's error envelope.
    internalErrorBody: { errors: [{ code: "INTERNAL_ERROR", message: "simulator error" }] },
  });
  return {
    ...actions,
    url: server.url,
    port: server.port,
    profileId: resolved.profileId,
    apiToken: resolved.apiToken,
    close: server.close,
  };
}
