// The image's entry point: runs the deployable's main module (PAYMESH_ENTRY, set when the image
// was built), so every image starts the same way and SIGTERM reaches Node directly.
import { fileURLToPath } from "node:url";

const { env } = process;
const entry = env.PAYMESH_ENTRY;
if (!entry) {
  console.error("start: PAYMESH_ENTRY is not set; build the image with deploy/images/build");
  process.exit(2);
}
const entryUrl = new URL(`../../${entry}`, import.meta.url);
// Tracing is set up first, as `node --import @paymesh/telemetry/register <entry>` does elsewhere
// (docs/architecture.md §7): the loader hooks must be in place before the entry's imports are
// linked. The register module names the process after process.argv[1], which is this file here,
// so it is pointed at the entry, as if Node had been given the entry itself.
process.argv[1] = fileURLToPath(entryUrl);
await import("../../packages/telemetry/src/register.ts");
await import(entryUrl.href);
