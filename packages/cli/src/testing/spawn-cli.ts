import { fileURLToPath } from "node:url";
import { runProcess } from "@paymesh/test-kit";
import { SANDBOX_URL_ENV } from "../cli-config.ts";

/** The CLI entry point the tests run, exactly as `pnpm paymesh` does. */
export const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

/** What one CLI run produced. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stderr split into lines, without the trailing empty one. */
  stderrLines: string[];
}

/**
 * Runs `node packages/cli/src/main.ts …args` as a real process, so tests see exit codes and the
 * exact bytes on each stream. Environment variables that would point the CLI at a running local
 * stack are cleared unless the test sets them.
 */
export async function spawnCli(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<CliRun> {
  const cleared: Record<string, undefined> = {};
  for (const key of [
    "PAYMESH_ROUTER",
    "PAYMESH_ROUTER_HTTP",
    "PAYMESH_TOKEN",
    ...Object.values(SANDBOX_URL_ENV),
  ])
    cleared[key] = undefined;
  const run = await runProcess(
    { entry: MAIN, args },
    { env: { ...cleared, ...options.env }, input: options.input ?? "" },
  );
  const stderrLines = run.stderr === "" ? [] : run.stderr.replace(/\n$/, "").split("\n");
  return { ...run, stderrLines };
}
