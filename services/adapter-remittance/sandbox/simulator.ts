import { generateKeyPairSync } from "node:crypto";
import {
  openDurableState,
  type SimulatorServer,
  startSimulator,
  withReportReset,
} from "@paymesh/sandbox-kit";
import { controlRoutes } from "./control-api.ts";
import { createNotifier } from "./notifier.ts";
import { type RemittanceSimulatorOptions, resolveSimulatorOptions } from "./options.ts";
import { createRemittanceSettlementReport } from "./settlement-report.ts";
import { createSimActions, type SimActions } from "./sim-actions.ts";
import { createSimState } from "./sim-state.ts";
import { wiseApi } from "./wise-dispatch.ts";

/**
 * A running simulator: `url` is what the adapter's WISE_BASE_URL points at; `close()` also drops
 * pending webhook retries. The control actions are also reachable over HTTP under `/sim/`.
 */
export interface RemittanceSimulator extends SimActions, SimulatorServer {
  /** The profile id and API token clients must use. */
  readonly profileId: string;
  readonly apiToken: string;
}

/** The service name the process announces, and its state file's name in a data folder. */
export const REMITTANCE_SIMULATOR = "remittance-sandbox";

/**
 * Starts a Wise-style API simulator (quotes, recipients, transfers, balance funding, cancellation,
 * balance statements, RSA-signed `transfers#state-change` webhooks) on `options.port` (default 0,
 * a free port) at 127.0.0.1. Everything is per instance, so parallel tests each start their own,
 * and in memory unless `options.dataDir` is given: then quotes, recipients, transfers and balances
 * survive a restart on the same folder.
 */
export async function createRemittanceSimulator(
  options: RemittanceSimulatorOptions = {},
): Promise<RemittanceSimulator> {
  const resolved = resolveSimulatorOptions(options);
  const state = createSimState(resolved);
  const durable = openDurableState({
    dataDir: resolved.dataDir,
    name: REMITTANCE_SIMULATOR,
    snapshot: state.snapshot,
    restore: state.restore,
  });
  const closing = new AbortController();
  const notifier = createNotifier({ state, signal: closing.signal, saveState: durable.save });
  // A key no receiver trusts, for `forged` webhooks: made per instance so it is never on disk.
  const forgedKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const report = createRemittanceSettlementReport(state);
  const actions = withReportReset(createSimActions({ state, notifier, forgedKey }), report);

  const simulator = await startSimulator({
    listen: resolved,
    closing,
    actions,
    control: { ...controlRoutes(actions), "POST /sim/settlement-report": report.control },
    handle: wiseApi({ state, notifier, report }, closing.signal),
    // Even the last-resort answer keeps Wise's error envelope.
    internalErrorBody: { errors: [{ code: "INTERNAL_ERROR", message: "simulator error" }] },
    saveState: durable.save,
  });
  return { ...simulator, profileId: resolved.profileId, apiToken: resolved.apiToken };
}
