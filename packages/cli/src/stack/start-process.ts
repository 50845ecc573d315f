import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";

/** How a child process ended: an exit code, or the signal that killed it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options for startProcess. */
export interface StartProcessOptions {
  /** Used in error messages; the caller's onLine usually prefixes lines with it too. */
  name: string;
  /** Arguments to `command`, e.g. `["services/router/src/main.ts"]`. */
  args: readonly string[];
  /** @default process.execPath — the same Node as the caller, so type stripping and version match */
  command?: string;
  /** Added to the caller's environment. */
  env?: Readonly<Record<string, string>>;
  cwd?: string;
  /** How long to wait for the ready line before giving up and killing the child. @default 20000 */
  readyTimeoutMs?: number;
  /** Picks the ready line among JSON lines on stdout. @default the first JSON object */
  isReady?: (line: Readonly<Record<string, unknown>>) => boolean;
  /** Every output line except the ready line, as it arrives. @default dropped */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
  /** Aborting during start-up stops the child and rejects. */
  signal?: AbortSignal;
  /**
   * Runs the child in its own process group, so a Ctrl-C in the terminal (SIGINT to the whole
   * foreground group) reaches only the caller, which then stops the child itself. @default false
   */
  detached?: boolean;
}

/** A child that reported ready. */
export interface StartedProcess {
  name: string;
  pid: number | undefined;
  /** The parsed ready line, e.g. `{"service":"router","grpc":"127.0.0.1:50051",…}`. */
  ready: Readonly<Record<string, unknown>>;
  /** Settles once the child has exited and its output is drained. */
  exited: Promise<ProcessExit>;
  /** SIGTERM, then SIGKILL if it is still alive after `graceMs` (default 10000); resolves on exit. */
  stop(graceMs?: number): Promise<ProcessExit>;
}

/** Why a child never became ready; `output` holds its last lines, which usually say why. */
export class StartProcessError extends Error {
  readonly output: readonly string[];
  constructor(message: string, output: readonly string[]) {
    super(message);
    this.name = "StartProcessError";
    this.output = output;
  }
}

const KEPT_LINES = 30;

/**
 * Spawns a service and resolves when it prints its one-line JSON announcement on stdout (every
 * Paymesh service prints one, with the addresses it bound — ports are 0 in tests). Readiness is that
 * line, not a sleep: the wait ends the moment the service is up, or at the deadline with an error.
 * A child that fails to start is always stopped before the promise rejects, so nothing leaks.
 */
export function startProcess(options: StartProcessOptions): Promise<StartedProcess> {
  const { name, readyTimeoutMs = 20_000, isReady = () => true, onLine = () => {} } = options;
  const child = spawn(options.command ?? process.execPath, [...options.args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once("close", (code, signal) => resolve({ code, signal }));
  });
  const stop = (graceMs = 10_000): Promise<ProcessExit> => stopChild(child, exited, graceMs);
  const recent: string[] = [];
  const remember = (line: string): void => {
    recent.push(line);
    if (recent.length > KEPT_LINES) recent.shift();
  };

  return new Promise<StartedProcess>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(`did not report ready within ${readyTimeoutMs} ms`), readyTimeoutMs);
    const onAbort = (): void => fail("start-up was interrupted");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const finish = (): void => {
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    function fail(reason: string): void {
      if (settled) return;
      finish();
      const error = new StartProcessError(`${name} ${reason}`, [...recent]);
      void stop().then(() => reject(error));
    }
    if (options.signal?.aborted) onAbort();

    eachLine(child.stdout, (line) => {
      if (!settled) {
        const announced = parseJsonObject(line);
        if (announced !== undefined && isReady(announced)) {
          finish();
          resolve({ name, pid: child.pid, ready: announced, exited, stop });
          return;
        }
      }
      remember(line);
      onLine(line, "stdout");
    });
    eachLine(child.stderr, (line) => {
      remember(line);
      onLine(line, "stderr");
    });
    child.once("error", (error) => fail(`could not be started: ${error.message}`));
    void exited.then((exit) => fail(`exited (${describeExit(exit)}) before reporting ready`));
  });
}

/** "code 1" or "signal SIGKILL", for messages. */
export function describeExit(exit: ProcessExit): string {
  return exit.signal === null ? `code ${exit.code ?? "unknown"}` : `signal ${exit.signal}`;
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<ProcessExit>,
  graceMs: number,
): Promise<ProcessExit> {
  // Never spawned (pid undefined): there is nothing to stop, and "close" may never come.
  if (child.pid === undefined) return { code: child.exitCode, signal: child.signalCode };
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

function eachLine(stream: Readable | null, handle: (line: string) => void): void {
  if (stream === null) return;
  createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", handle);
}

function parseJsonObject(line: string): Record<string, unknown> | undefined {
  if (!line.trimStart().startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
