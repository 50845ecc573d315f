import {
  openDurableState,
  type SimulatorServer,
  startSimulator,
  withReportReset,
} from "@paymesh/sandbox-kit";
import { xenditApi } from "./api-dispatch.ts";
import { createCallbackSender } from "./callback-sender.ts";
import { controlRoutes } from "./control-api.ts";
import { resolveSimulatorOptions, type TransferSimulatorOptions } from "./options.ts";
import { createTransferSettlementReport } from "./settlement-report.ts";
import { createSimActions, type SimActions } from "./sim-actions.ts";
import { createSimState } from "./sim-state.ts";

/**
 * A running simulator: `url` is what the adapter's XENDIT_BASE_URL points at; `close()` also drops
 * pending callback retries and automatic completions. The control actions are also reachable over
 * HTTP under `/sim/`.
 */
export interface TransferSimulator extends Omit<SimActions, "onCreated">, SimulatorServer {}

/** The service name the process announces, and its state file's name in a data folder. */
export const TRANSFER_SIMULATOR = "transfer-sandbox";

/**
 * Starts a Xendit Disbursements simulator (create, get by id and by external_id, the transactions
 * report, x-callback-token callbacks with retries) on `options.port` (default 0, a free port) at
 * 127.0.0.1. Everything is per instance, so parallel tests each start their own, and in memory
 * unless `options.dataDir` is given: then disbursements survive a restart on the same folder, and
 * pending ones still complete by themselves with `autoCompleteMs`.
 */
export async function createTransferSimulator(
  options: TransferSimulatorOptions = {},
): Promise<TransferSimulator> {
  const resolved = resolveSimulatorOptions(options);
  const state = createSimState(resolved);
  const durable = openDurableState({
    dataDir: resolved.dataDir,
    name: TRANSFER_SIMULATOR,
    snapshot: state.snapshot,
    restore: state.restore,
  });
  const closing = new AbortController();
  const sender = createCallbackSender({ state, signal: closing.signal, saveState: durable.save });
  const report = createTransferSettlementReport(state);
  const actions = withReportReset(createSimActions({ state, sender, signal: closing.signal }), report);
  for (const disbursement of state.disbursements.list()) {
    if (disbursement.status === "PENDING") actions.onCreated(disbursement);
  }
  const context = { state, onCreated: actions.onCreated, report };

  const { onCreated: _internal, ...handleActions } = actions;
  return startSimulator({
    listen: resolved,
    closing,
    actions: handleActions,
    control: { ...controlRoutes(actions), "POST /sim/settlement-report": report.control },
    handle: xenditApi(context, closing.signal),
    saveState: durable.save,
  });
}
