// A stand-in service main for process.test.ts. FIXTURE_MODE picks its behaviour: "announce"
// (default) serves /sim/stats, logs to stderr and exits 0 on SIGTERM, "silent" exits 3 without a
// word, "hang" never announces itself, "garbage" prints a line that is not JSON, "stubborn"
// announces itself and ignores SIGTERM.
import { createServer } from "node:http";

const mode = process.env.FIXTURE_MODE ?? "announce";
if (mode === "silent") process.exit(3);
if (mode === "garbage") process.stdout.write("starting up...\n");
const server = createServer((_request, response) => {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify({ charges: 0, port: process.env.PORT, extra: process.env.FIXTURE_EXTRA }));
});
server.listen(Number(process.env.PORT ?? "0"), "127.0.0.1", () => {
  const address = server.address();
  if ((mode !== "announce" && mode !== "stubborn") || address === null || typeof address === "string") return;
  process.stdout.write(
    `${JSON.stringify({ service: "fixture-sandbox", url: `http://127.0.0.1:${address.port}` })}\n`,
  );
});
process.stderr.write(`fixture ${mode} started\n`);
if (mode === "stubborn") process.on("SIGTERM", () => {});
else process.once("SIGTERM", () => server.close(() => process.exit(0)));
