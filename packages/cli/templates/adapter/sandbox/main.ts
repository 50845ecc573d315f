import { runSimulatorMain } from "@paymesh/sandbox-kit";
import { createSimulator } from "./simulator.ts";

/**
 * Runs the simulator as a process: `PORT` (default 0, a free port) at 127.0.0.1 and an optional
 * `NOTIFY_URL`. Prints one JSON line with its URL, which is how launchers and e2e tests find it.
 */
await runSimulatorMain({
  service: "__name__-sandbox",
  start: (settings) => createSimulator(settings),
});
