import { createTransferSimulator } from "./simulator.ts";

/**
 * Runs the simulator as a process: `PORT` (default 0, a free port), listening on 127.0.0.1, with
 * optional `NOTIFY_URL` (where callbacks go) and `AUTO_COMPLETE_MS` (complete every payout by
 * itself after that long). Prints one JSON line with its URL, which is how launchers find it.
 */
const port = Number(process.env.PORT ?? "0");
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be 0–65535, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}
const autoComplete = process.env.AUTO_COMPLETE_MS;
const autoCompleteMs = autoComplete === undefined || autoComplete === "" ? undefined : Number(autoComplete);
if (autoCompleteMs !== undefined && (!Number.isInteger(autoCompleteMs) || autoCompleteMs < 0)) {
  console.error(`AUTO_COMPLETE_MS must be a non-negative integer, got ${JSON.stringify(autoComplete)}`);
  process.exit(2);
}
const simulator = await createTransferSimulator({
  port,
  ...(process.env.NOTIFY_URL ? { notifyUrl: process.env.NOTIFY_URL } : {}),
  ...(autoCompleteMs === undefined ? {} : { autoCompleteMs }),
});
process.stdout.write(`${JSON.stringify({ service: "transfer-sandbox", url: simulator.url })}\n`);

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
