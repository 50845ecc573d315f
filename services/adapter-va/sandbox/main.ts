import { runSimulatorMain } from "@paymesh/sandbox-kit";
import { createVaSimulator } from "./simulator.ts";

/**
 * Runs the simulator as a process: `PORT` (default 0, a free port) at 127.0.0.1, optional
 * `NOTIFY_URL` (the dashboard's notification URL). Prints one JSON line with its URL, which is
 * how `paymesh up` and e2e tests find it.
 */
await runSimulatorMain({ service: "va-sandbox", start: (settings) => createVaSimulator(settings) });
