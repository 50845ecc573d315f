import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
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
export function spawnCli(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of [
    "PAYMESH_ROUTER",
    "PAYMESH_ROUTER_HTTP",
    "PAYMESH_TOKEN",
    ...Object.values(SANDBOX_URL_ENV),
  ])
    delete env[key];
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { ...env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(options.input ?? "");
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      const stderrLines = stderr === "" ? [] : stderr.replace(/\n$/, "").split("\n");
      resolve({ code, stdout, stderr, stderrLines });
    });
  });
}
