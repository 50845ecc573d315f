import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CliError } from "./cli-error.ts";
import { ADAPTER_NAMES, type AdapterName } from "./stack/local-adapters.ts";

/**
 * What `paymesh up` leaves in `.data/dev-stack.json` for the other commands (and for people): where
 * each service of the local stack listens and which token the router accepts from the CLI.
 */
export interface DevStack {
  /** Pid of the `paymesh up` process that owns the stack. */
  pid: number;
  startedAt: string;
  /** Bearer token configured for the caller "cli". */
  token: string;
  router: { grpc: string; http: string };
  /** Each adapter's gRPC address, by the name the router knows it under. */
  adapters: Record<AdapterName, { address: string }>;
  /** Each adapter's provider simulator: base URL of its API and its `/sim/…` control routes. */
  sandboxes: Record<AdapterName, { url: string }>;
}

/** Where the file lives: `.data/` at the repo root, which git ignores. */
export function devStackPath(root: string): string {
  return join(root, ".data", "dev-stack.json");
}

/** Reads the file; undefined when there is none (no stack was started). */
export function readDevStack(path: string): DevStack | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (isErrno(error, "ENOENT")) return undefined;
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (isDevStack(value)) return value;
  } catch {
    // Reported below with the same message as a wrong shape.
  }
  throw new CliError(`${path} is not a dev-stack file; delete it or run "./run pnpm start" again`);
}

/** Writes the file atomically (temp file + rename), so a reader never sees half of it. */
export function writeDevStack(path: string, stack: DevStack): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(stack, null, 2)}\n`);
  renameSync(temporary, path);
}

/** Removes the file if it still describes the stack of process `pid`, so a newer stack's file survives. */
export function removeDevStack(path: string, pid: number): void {
  try {
    if (readDevStack(path)?.pid === pid) rmSync(path, { force: true });
  } catch {
    // A malformed file is not ours to delete.
  }
}

/**
 * Whether the `paymesh up` that wrote the file still runs. A stack killed with SIGKILL leaves its file
 * behind; this tells a stale file from a live stack.
 */
export function isOwnerAlive(stack: DevStack): boolean {
  try {
    process.kill(stack.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user, and it still holds the ports.
    return isErrno(error, "EPERM");
  }
}

function isDevStack(value: unknown): value is DevStack {
  return (
    typeof at(value, "pid") === "number" &&
    typeof at(value, "startedAt") === "string" &&
    typeof at(value, "token") === "string" &&
    typeof at(value, "router", "grpc") === "string" &&
    typeof at(value, "router", "http") === "string" &&
    ADAPTER_NAMES.every(
      (name) =>
        typeof at(value, "adapters", name, "address") === "string" &&
        typeof at(value, "sandboxes", name, "url") === "string",
    )
  );
}

// Walks plain JSON objects; undefined as soon as a step is missing or not an object.
function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === code;
}
