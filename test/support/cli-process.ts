import { spawn } from "node:child_process";
import { once } from "node:events";
import { repoRoot } from "./start-process.ts";

/** What one run of a command produced. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command args…` from the repository root with `env` added; resolves once its output is read
 * (whatever its exit code), rejects only when it cannot be started.
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const [code] = (await Promise.race([
    once(child, "close"),
    once(child, "error").then(([error]) => Promise.reject(error)),
  ])) as [number | null];
  return { code, stdout, stderr };
}

/** Runs the real `paymesh` CLI as a process with `env` added. */
export function runPaymesh(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCommand(process.execPath, ["packages/cli/src/main.ts", ...args], { env });
}
