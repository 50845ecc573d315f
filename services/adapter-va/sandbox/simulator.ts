import { randomUUID } from "node:crypto";
import {
  openDurableState,
  type SimulatorServer,
  startSimulator,
  withReportReset,
} from "@paymesh/sandbox-kit";
import { controlRoutes } from "./control-api.ts";
import { midtransApi } from "./dispatch.ts";
import { createNotifier, type Notifier } from "./notifier.ts";
import { resolveSimulatorOptions, type VaSimulatorOptions } from "./options.ts";
import type { RouteContext } from "./route.ts";
import { createVaSettlementReport } from "./settlement-report.ts";
import { createSimActions, type SimActions } from "./sim-actions.ts";
import { createSimState } from "./sim-state.ts";

/**
 * A running simulator: `url` is what the adapter's MIDTRANS_BASE_URL points at; `close()` also drops
 * pending notification retries. The control actions are also reachable over HTTP under `/sim/`.
 */
export interface VaSimulator extends SimActions, SimulatorServer {}

/** The service name the process announces, and its state file's name in a data folder. */
export const VA_SIMULATOR = "va-sandbox";

/**
 * Starts a Midtrans Core API simulator for `bank_transfer` virtual accounts (charge, status,
 * cancel, signed HTTP notifications, a settlement report) at 127.0.0.1 on `options.port`
 * (default 0, a free port). Everything is per instance, so parallel tests each start their own,
 * and in memory unless `options.dataDir` is given: then transactions survive a restart on the same
 * folder.
 */
export async function createVaSimulator(options: VaSimulatorOptions = {}): Promise<VaSimulator> {
  const resolved = resolveSimulatorOptions(options);
  const closing = new AbortController();
  // The store tells us about lazy expiry; the notifier exists only once the state does.
  let notifier: Notifier | undefined;
  const state = createSimState(resolved, (transaction) => void notifier?.deliver(transaction));
  const durable = openDurableState({
    dataDir: resolved.dataDir,
    name: VA_SIMULATOR,
    snapshot: state.snapshot,
    restore: state.restore,
  });
  notifier = createNotifier({ state, signal: closing.signal, saveState: durable.save });
  const report = createVaSettlementReport(resolved, state.transactions);
  const actions = withReportReset(
    createSimActions({ state, notifier, forgedKey: `FAKE-forged-key-${randomUUID()}` }),
    report,
  );
  const context: RouteContext = {
    state,
    notify: (transaction) => void notifier?.deliver(transaction),
    report,
  };

  return startSimulator({
    listen: resolved,
    closing,
    actions,
    control: { ...controlRoutes(actions), "POST /sim/settlement-report": report.control },
    handle: midtransApi(context, closing.signal),
    saveState: durable.save,
  });
}
