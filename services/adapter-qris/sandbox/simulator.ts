import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { accessTokenRoute } from "./access-token-route.ts";
import { cancelRoute } from "./cancel-route.ts";
import { handleControl } from "./control-api.ts";
import { generateRoute } from "./generate-route.ts";
import { sendJson } from "./http-io.ts";
import { createNotifier } from "./notifier.ts";
import { type QrisSimulatorOptions, resolveSimulatorOptions } from "./options.ts";
import { buildStaticQris } from "./qris-template.ts";
import { queryRoute } from "./query-route.ts";
import { settlementsRoute } from "./settlements-route.ts";
import { createSimActions, type SimActions } from "./sim-actions.ts";
import { createSimState } from "./sim-state.ts";
import { dispatchSnap, sendNotFound } from "./snap-dispatch.ts";
import type { SnapRoute } from "./snap-route.ts";

const routes: readonly SnapRoute[] = [
  accessTokenRoute,
  generateRoute,
  queryRoute,
  cancelRoute,
  settlementsRoute,
];

/** A running simulator. The control actions are also reachable over HTTP under `/sim/`. */
export interface QrisSimulator extends SimActions {
  /** Base URL, e.g. `http://127.0.0.1:41234`: what an adapter's `baseUrl` points at. */
  readonly url: string;
  readonly port: number;
  /** Stops listening, drops open connections and pending notification retries. */
  close(): Promise<void>;
}

/**
 * Starts a Bank Indonesia SNAP QR MPM simulator (access token, generate, query, cancel, signed
 * payment notifications, a settlement report) on `options.port` (default 0, a free port) at
 * 127.0.0.1. Everything is in memory and per instance, so parallel tests each start their own.
 */
export async function createQrisSimulator(options: QrisSimulatorOptions = {}): Promise<QrisSimulator> {
  const resolved = resolveSimulatorOptions(options);
  const state = createSimState(resolved);
  const closing = new AbortController();
  const notifier = createNotifier({ state, privateKey: resolved.bankPrivateKey, signal: closing.signal });
  // A key no receiver trusts, for `forged` webhooks: made per instance so it is never on disk.
  const forgedKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const actions = createSimActions({ state, notifier, forgedKey });
  const context = { state, staticQris: buildStaticQris(resolved.merchant) };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://simulator.invalid");
    if (url.pathname.startsWith("/sim/")) return handleControl(actions, request, response, url);
    const samePath = routes.filter((route) => route.path === url.pathname);
    const route = samePath.find((candidate) => candidate.method === request.method);
    if (route === undefined) return sendNotFound(response, samePath.length > 0);
    return dispatchSnap(context, route, request, response, url, closing.signal);
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
