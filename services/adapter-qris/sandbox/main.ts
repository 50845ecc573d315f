import { runSimulatorMain } from "@paymesh/sandbox-kit";
import { createQrisSimulator, QRIS_SIMULATOR } from "./simulator.ts";

/**
 * Runs the simulator as a process: `PORT` (default 0, a free port), listening on 127.0.0.1, with
 * notifications to `NOTIFY_URL` when set, keeping its payments in `SIM_DATA_DIR` when set. Prints one JSON line with its URL, which is how
 * `paymesh up` and e2e tests find it.
 */
await runSimulatorMain({ service: QRIS_SIMULATOR, start: (settings) => createQrisSimulator(settings) });
