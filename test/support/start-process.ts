import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The repository root, for spawning services by path. */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** A service running as its own process. */
export interface ServiceProcess<T> {
  /** The JSON line the service printed when it was ready (its addresses). */
  ready: T;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far, for failure messages. */
  stderr(): string;
  /** SIGTERM, then SIGKILL if it has not exited within graceMs. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node <entry>` as a real process and waits for its first stdout line, which every
 * Paymesh service prints as JSON once it listens. Fails with the process's stderr if it exits or
 * does not get ready within the timeout.
 */
export async function startService<T>(
  entry: string,
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<ServiceProcess<T>> {
  const child = spawn(process.execPath, [entry], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const firstLine = new Promise<string>((resolve) => lines.once("line", resolve));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${entry} was not ready after ${timeoutMs} ms:\n${stderr}`)),
      timeoutMs,
    );
  });
  try {
    const line = await Promise.race([
      firstLine,
      exited.then((code) =>
        Promise.reject(new Error(`${entry} exited with ${code} before it was ready:\n${stderr}`)),
      ),
      timeout,
    ]);
    lines.on("line", () => {}); // keep draining stdout so the child never blocks on a full pipe
    return {
      ready: JSON.parse(line) as T,
      child,
      stderr: () => stderr,
      async stop(graceMs = 5_000) {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill("SIGTERM");
        const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(kill);
      },
    };
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it returns a value other than undefined, or fails after timeoutMs. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ""}`);
}
