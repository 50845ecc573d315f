import { generateKeyPairSync } from "node:crypto";
import {
  openDurableState,
  type SimulatorServer,
  startSimulator,
  withReportReset,
} from "@paymesh/sandbox-kit";
import { controlRoutes } from "./control-api.ts";
import { createNotifier } from "./notifier.ts";
import { type QrisSimulatorOptions, resolveSimulatorOptions } from "./options.ts";
import { buildStaticQris } from "./qris-template.ts";
import { createQrisSettlementReport } from "./settlement-report.ts";
import { createSimActions, type SimActions } from "./sim-actions.ts";
import { createSimState } from "./sim-state.ts";
import { snapApi } from "./snap-dispatch.ts";

/**
 * A running simulator: `url` is what an adapter's `baseUrl` points at; `close()` also drops pending
 * notification retries. The control actions are also reachable over HTTP under `/sim/`.
 */
export interface QrisSimulator extends SimActions, SimulatorServer {}

/** The service name the process announces, and its state file's name in a data folder. */
export const QRIS_SIMULATOR = "qris-sandbox";

/**
 * Starts a Bank Indonesia SNAP QR MPM simulator (access token, generate, query, cancel, signed
 * payment notifications, a settlement report) on `options.port` (default 0, a free port) at
 * 127.0.0.1. Everything is per instance, so parallel tests each start their own, and in memory
 * unless `options.dataDir` is given: then payments survive a restart on the same folder.
 */
export async function createQrisSimulator(options: QrisSimulatorOptions = {}): Promise<QrisSimulator> {
  const resolved = resolveSimulatorOptions(options);
  const state = createSimState(resolved);
  const durable = openDurableState({
    dataDir: resolved.dataDir,
    name: QRIS_SIMULATOR,
    snapshot: state.snapshot,
    restore: state.restore,
  });
  const closing = new AbortController();
  const notifier = createNotifier({
    state,
    privateKey: resolved.bankPrivateKey,
    signal: closing.signal,
    saveState: durable.save,
  });
  // A key no receiver trusts, for `forged` webhooks: made per instance so it is never on disk.
  const forgedKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const report = createQrisSettlementReport(state);
  const actions = withReportReset(createSimActions({ state, notifier, forgedKey }), report);
  const context = { state, staticQris: buildStaticQris(resolved.merchant), report };

  return startSimulator({
    listen: resolved,
    closing,
    actions,
    control: { ...controlRoutes(actions), "POST /sim/settlement-report": report.control },
    handle: snapApi(context, closing.signal),
    saveState: durable.save,
  });
}
