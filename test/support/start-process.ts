import { fileURLToPath } from "node:url";
import { tracingNodeArgs } from "@paymesh/telemetry";
import { type StartedProcess, startProcess } from "@paymesh/test-kit/process";

/** The repository root, for spawning services by path. */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Starts a Paymesh service by its path from the repository root (`services/router/src/main.ts`)
 * with `env` added, and waits for the JSON line with its addresses; see `startProcess`. It starts
 * as production does, with `@paymesh/telemetry/register` imported first, so OTEL_* variables in
 * `env` trace it.
 */
export function startService<T>(
  entry: string,
  env: Record<string, string>,
  readyWithinMs = 20_000,
): Promise<StartedProcess<T>> {
  return startProcess<T>({ entry, nodeArgs: tracingNodeArgs() }, { env, cwd: repoRoot, readyWithinMs });
}
