// Runs a simulator's main.ts as a child process for its end-to-end test: PORT=0, wait for the JSON
// line it announces itself with, then stop it by signal. Node stdlib only.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The first stdout line of a simulator's main: its service name and where it listens. */
export interface AnnouncedSimulator {
  service: string;
  url: string;
}

/** A simulator process that has announced itself; see {@link startSimulatorProcess}. */
export interface SimulatorProcess {
  readonly announced: AnnouncedSimulator;
  /** Sends `signal` (SIGTERM unless given) and resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILLs the process unless it has already exited: for `finally` blocks. */
  kill(): void;
}

/** Options of {@link startSimulatorProcess}. */
export interface SimulatorProcessOptions {
  /** How long the process may take to print its first line; 10 s unless given. */
  readyWithinMs?: number;
}

function isAnnouncement(value: unknown): value is AnnouncedSimulator {
  if (typeof value !== "object" || value === null) return false;
  const fields: Record<string, unknown> = { ...value };
  return typeof fields.service === "string" && typeof fields.url === "string";
}

/**
 * Spawns `node <entry>` with the current environment, `PORT=0` and `env` on top; stderr is
 * inherited. Resolves once the first stdout line parses as `{ service, url }`; rejects (and kills
 * the process) if it exits first, prints something else, or says nothing within the deadline.
 */
export async function startSimulatorProcess(
  entry: URL,
  env: Record<string, string> = {},
  options: SimulatorProcessOptions = {},
): Promise<SimulatorProcess> {
  const readyWithinMs = options.readyWithinMs ?? 10_000;
  const child = spawn(process.execPath, [fileURLToPath(entry)], {
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  const lines = createInterface({ input: child.stdout });
  let timer: NodeJS.Timeout | undefined;
  try {
    const first = await new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      child.once("error", reject);
      void exited.then((code) =>
        reject(new Error(`${entry.href} exited (${code}) before announcing itself`)),
      );
      timer = setTimeout(
        () => reject(new Error(`${entry.href} did not announce itself within ${readyWithinMs} ms`)),
        readyWithinMs,
      );
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(first);
    } catch {
      throw new Error(`${entry.href} announced a line that is not JSON: ${first}`);
    }
    if (!isAnnouncement(parsed)) throw new Error(`${entry.href} announced no service and url: ${first}`);
    const announced: AnnouncedSimulator = { service: parsed.service, url: parsed.url };
    return {
      announced,
      stop(signal = "SIGTERM") {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        return exited;
      },
      kill,
    };
  } catch (error) {
    kill();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
