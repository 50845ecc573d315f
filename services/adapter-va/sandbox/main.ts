import { runSimulatorMain } from "@paymesh/sandbox-kit";
import { createVaSimulator, VA_SIMULATOR } from "./simulator.ts";

/**
 * Runs the simulator as a process: `PORT` (default 0, a free port) at 127.0.0.1, optional
 * `NOTIFY_URL` (the dashboard's notification URL), optional `SIM_DATA_DIR` (where its transactions are
 * kept across restarts). Prints one JSON line with its URL, which is
 * how `paymesh up` and e2e tests find it.
 */
await runSimulatorMain({ service: VA_SIMULATOR, start: (settings) => createVaSimulator(settings) });
