import { type ProcessRun, runProcess } from "@paymesh/test-kit/process";
import { repoRoot } from "./start-process.ts";

/** Runs the real `paymesh` CLI as a process from the repository root with `env` added. */
export function runPaymesh(args: readonly string[], env: Record<string, string> = {}): Promise<ProcessRun> {
  return runProcess({ entry: "packages/cli/src/main.ts", args }, { env, cwd: repoRoot });
}
