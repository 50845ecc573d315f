import { createRemittanceSimulator } from "./simulator.ts";

/**
 * Runs the simulator as a process: `PORT` (default 0, a free port), listening on 127.0.0.1, with
 * webhooks to `NOTIFY_URL` when set. Prints one JSON line with its URL, which is how `paymesh up`
 * and e2e tests find it.
 */
const port = Number(process.env.PORT ?? "0");
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be 0–65535, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}
const simulator = await createRemittanceSimulator({
  port,
  ...(process.env.NOTIFY_URL ? { notifyUrl: process.env.NOTIFY_URL } : {}),
});
process.stdout.write(`${JSON.stringify({ service: "remittance-sandbox", url: simulator.url })}\n`);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  simulator.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
