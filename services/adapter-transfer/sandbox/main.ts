import { runSimulatorMain, SimulatorUsageError } from "@paymesh/sandbox-kit";
import { createTransferSimulator, TRANSFER_SIMULATOR } from "./simulator.ts";

/** `AUTO_COMPLETE_MS`: unset or empty leaves payouts pending until a test completes them. */
function autoCompleteMs(value: string | undefined): number | undefined {
  const ms = value === undefined || value === "" ? undefined : Number(value);
  if (ms !== undefined && (!Number.isInteger(ms) || ms < 0)) {
    throw new SimulatorUsageError(
      `AUTO_COMPLETE_MS must be a non-negative integer, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/**
 * Runs the simulator as a process: `PORT` (default 0, a free port), listening on 127.0.0.1, with
 * optional `NOTIFY_URL` (where callbacks go), `AUTO_COMPLETE_MS` (complete every payout by itself
 * after that long) and `SIM_DATA_DIR` (where its disbursements are kept across restarts). Prints one JSON line with its URL, which is how launchers find it.
 */
await runSimulatorMain({
  service: TRANSFER_SIMULATOR,
  start(settings, env) {
    const ms = autoCompleteMs(env.AUTO_COMPLETE_MS);
    return createTransferSimulator({ ...settings, ...(ms === undefined ? {} : { autoCompleteMs: ms }) });
  },
});
