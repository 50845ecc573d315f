import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/**
 * What to run: a Node entry file (a `.ts` one runs directly on Node 24) given as a path or URL,
 * the same with arguments (and flags for Node itself, such as `--import`, before the entry), or
 * any other command.
 */
export type ProcessTarget =
  | string
  | URL
  | { entry: string | URL; args?: readonly string[]; nodeArgs?: readonly string[] }
  | { command: string; args?: readonly string[] };

/** Options every launch takes. */
export interface ProcessOptions {
  /** Added to this process's environment; an undefined value removes the variable. */
  env?: Record<string, string | undefined>;
  /** The working directory, which a relative entry path is resolved against. */
  cwd?: string;
}

/** Options of {@link startProcess}. */
export interface StartOptions<T> extends ProcessOptions {
  /** How long the process may take to print its first stdout line; 60 s unless given (a loaded machine starts a router slowly). */
  readyWithinMs?: number;
  /** Reads the announce line's JSON, throwing if it is not what the process should say. */
  parse?: (value: unknown) => T;
}

/** Options of {@link runProcess}. */
export interface RunOptions extends ProcessOptions {
  /** Written to stdin, which is then closed; stdin is empty unless given. */
  input?: string;
  /** Killed (SIGTERM) after this long. */
  timeoutMs?: number;
}

/** A long-running process that has announced itself; see {@link startProcess}. */
export interface StartedProcess<T> {
  /** The JSON line it printed once it was ready (every Paymesh service prints its addresses). */
  readonly ready: T;
  readonly child: ChildProcess;
  /** Everything it wrote to stdout after the announce line so far. */
  stdout(): string;
  /** Everything it wrote to stderr so far, for assertions and failure messages. */
  stderr(): string;
  /**
   * SIGTERM, then SIGKILL if it has not exited within `graceMs` (5 s unless given); resolves with
   * the exit code, null when a signal ended it. Stopping a stopped process just reports it again.
   */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILLs it unless it has already exited: for `finally` blocks. */
  kill(): void;
}

/** How one {@link runProcess} run ended and what it printed. */
export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function launch(target: ProcessTarget, options: ProcessOptions, stdin: "ignore" | "pipe"): ChildProcess {
  const toPath = (entry: string | URL): string => (entry instanceof URL ? fileURLToPath(entry) : entry);
  const [command, args] =
    typeof target === "string" || target instanceof URL
      ? [process.execPath, [toPath(target)]]
      : "command" in target
        ? [target.command, [...(target.args ?? [])]]
        : [process.execPath, [...(target.nodeArgs ?? []), toPath(target.entry), ...(target.args ?? [])]];
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return spawn(command, args, {
    env,
    stdio: [stdin, "pipe", "pipe"],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
}

/** Collects a stream's text as it arrives, so nothing blocks on a full pipe. */
function collect(stream: NodeJS.ReadableStream | null): () => string {
  let text = "";
  stream?.setEncoding("utf8");
  stream?.on("data", (chunk: string) => {
    text += chunk;
  });
  return () => text;
}

function describeTarget(target: ProcessTarget): string {
  if (typeof target === "string") return target;
  if (target instanceof URL) return target.href;
  return "command" in target ? target.command : String(target.entry);
}

/**
 * Starts a long-running process and resolves once its first stdout line parses as JSON (and passes
 * `parse`). Rejects, with its stderr so far, and kills it if it exits first, prints something
 * else, or says nothing within the deadline.
 */
export async function startProcess<T = unknown>(
  target: ProcessTarget,
  options: StartOptions<T> = {},
): Promise<StartedProcess<T>> {
  const name = describeTarget(target);
  const readyWithinMs = options.readyWithinMs ?? 60_000;
  const child = launch(target, options, "ignore");
  const stderr = collect(child.stderr);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const isRunning = (): boolean => child.exitCode === null && child.signalCode === null;
  const kill = (): void => {
    if (isRunning()) child.kill("SIGKILL");
  };
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  let timer: NodeJS.Timeout | undefined;
  try {
    const first = await new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      child.once("error", reject);
      void exited.then((code) =>
        reject(new Error(`${name} exited (${code}) before announcing itself:\n${stderr()}`)),
      );
      timer = setTimeout(
        () => reject(new Error(`${name} did not announce itself within ${readyWithinMs} ms:\n${stderr()}`)),
        readyWithinMs,
      );
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(first);
    } catch {
      throw new Error(`${name} announced a line that is not JSON: ${first}`);
    }
    const ready = options.parse === undefined ? (parsed as T) : options.parse(parsed);
    let stdout = "";
    lines.on("line", (line) => {
      stdout += `${line}\n`;
    });
    return {
      ready,
      child,
      stdout: () => stdout,
      stderr,
      async stop(graceMs = 5_000) {
        if (isRunning()) child.kill("SIGTERM");
        const escalate = setTimeout(kill, graceMs);
        try {
          return await exited;
        } finally {
          clearTimeout(escalate);
        }
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

/**
 * Runs a process to its end and resolves with its exit code and output, whatever the code; rejects
 * only when it cannot be started. For CLIs, whose exit codes and exact bytes are the test.
 */
export async function runProcess(target: ProcessTarget, options: RunOptions = {}): Promise<ProcessRun> {
  const child = launch(target, options, options.input === undefined ? "ignore" : "pipe");
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  child.stdin?.end(options.input);
  const timer =
    options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGTERM"), options.timeoutMs);
  try {
    const [code] = (await Promise.race([
      once(child, "close"),
      once(child, "error").then(([error]) => Promise.reject(error)),
    ])) as [number | null];
    return { code, stdout: stdout(), stderr: stderr() };
  } finally {
    clearTimeout(timer);
  }
}
