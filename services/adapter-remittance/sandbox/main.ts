import { runSimulatorMain } from "@paymesh/sandbox-kit";
import { createRemittanceSimulator } from "./simulator.ts";

/**
 * Runs the simulator as a process: `PORT` (default 0, a free port), listening on 127.0.0.1, with
 * webhooks to `NOTIFY_URL` when set. Prints one JSON line with its URL, which is how `paymesh up`
 * and e2e tests find it.
 */
await runSimulatorMain({
  service: "remittance-sandbox",
  start: (settings) => createRemittanceSimulator(settings),
});
