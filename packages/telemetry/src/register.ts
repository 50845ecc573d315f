// The first module of every Paymesh process: `node --import @paymesh/telemetry/register main.ts`.
//
// Under ESM a module's static imports are linked before its body runs, so tracing set up in
// main.ts would come too late: @grpc/grpc-js and ioredis would load unpatched and silently make
// no spans. Given to --import, this runs first: it registers import-in-the-middle's loader hooks
// for exactly the modules the instrumentations hook, starts tracing, and waits until the loader
// has every module name before the application's first import is resolved.
//
// With tracing not asked for (see readTracingConfig) it loads no SDK and registers no hook.
import { register } from "node:module";
import { serviceNameForEntry } from "./service-name.ts";
import { readTracingConfig, TracingConfigError } from "./tracing-config.ts";

let config: ReturnType<typeof readTracingConfig>;
try {
  config = readTracingConfig(serviceNameForEntry(process.argv[1]));
} catch (error) {
  if (!(error instanceof TracingConfigError)) throw error;
  // As for any configuration error of a Paymesh process: one line naming the variable, status 2.
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}

if (config !== undefined) {
  const { createAddHookMessageChannel } = await import("import-in-the-middle");
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register("import-in-the-middle/hook.mjs", import.meta.url, registerOptions);
  const { startTracing } = await import("./tracing.ts");
  startTracing(config);
  await waitForAllMessagesAcknowledged();
}
