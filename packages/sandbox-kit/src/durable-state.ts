import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { SimulatorUsageError } from "./run-simulator-main.ts";

/** How a simulator keeps what it remembers in a data folder. */
export interface DurableStateOptions<S> {
  /** The data folder; undefined keeps everything in memory, as a simulator in a test does. */
  dataDir: string | undefined;
  /**
   * The state file's name in the folder, without extension, e.g. "qris-sandbox", so one folder can
   * hold every simulator's file.
   */
  name: string;
  /**
   * What to keep, as data: anything node:v8 can serialize (objects, arrays, Map, Set, Date, bigint),
   * no functions or class instances. Called for every save.
   */
  snapshot(): S;
  /** Takes back the snapshot of the last save, once, while opening. */
  restore(saved: S): void;
  /**
   * The shape of `S`. Raise it when the snapshot changes shape: a file of another version is refused
   * rather than read into the wrong fields. @default 1
   */
  version?: number;
}

/** A simulator's state as kept on disk, or in memory only. */
export interface DurableState {
  /** The state file; undefined when there is no data folder. */
  readonly file: string | undefined;
  /**
   * Writes the current snapshot, unless it is the one last written. Once it returns, a crash or a
   * kill keeps this state. Without a data folder it does nothing.
   */
  save(): void;
}

/** What the file holds around the snapshot, so a stray or foreign file is told apart. */
interface Envelope {
  format: typeof FORMAT;
  name: string;
  version: number;
  state: unknown;
}

const FORMAT = "paymesh-simulator-state";

/**
 * Opens a simulator's state file in `dataDir` (created if missing), hands what it holds to `restore`,
 * and returns the `save` that keeps the state from then on. The file is one node:v8 snapshot (Node
 * documents the format as safe to store), replaced whole on each save by writing a temporary file,
 * flushing it to disk and renaming it over the old one: a kill at any moment leaves either the old
 * state or the new one, never a torn file. A file that cannot be read, or was written for another
 * simulator or version, is a SimulatorUsageError naming it: starting empty would silently forget
 * payments, which is what the file is for.
 */
export function openDurableState<S>(options: DurableStateOptions<S>): DurableState {
  const { dataDir, name } = options;
  if (dataDir === undefined) return { file: undefined, save: () => {} };
  const version = options.version ?? 1;
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `${name}.state`);
  const saved = readEnvelope(file);
  if (saved !== undefined) {
    if (saved.name !== name || saved.version !== version) {
      throw new SimulatorUsageError(
        `${file} holds the state of ${saved.name} version ${saved.version}, not ${name} version ${version}; ` +
          "move it away to start empty",
      );
    }
    options.restore(saved.state as S);
  }
  let written: Buffer | undefined;
  return {
    file,
    save() {
      const bytes = serialize({
        format: FORMAT,
        name,
        version,
        state: options.snapshot(),
      } satisfies Envelope);
      if (written?.equals(bytes)) return;
      replaceFile(dataDir, file, bytes);
      written = bytes;
    },
  };
}

function readEnvelope(file: string): Envelope | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let envelope: unknown;
  try {
    envelope = deserialize(bytes);
  } catch {
    envelope = undefined;
  }
  if (!isEnvelope(envelope)) {
    throw new SimulatorUsageError(`${file} is not a simulator state file; move it away to start empty`);
  }
  return envelope;
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== "object" || value === null) return false;
  const { format, name, version } = value as Record<string, unknown>;
  return format === FORMAT && typeof name === "string" && typeof version === "number";
}

/**
 * Replaces `file` with `bytes` atomically: the temporary file is flushed before the rename, so the
 * rename never exposes unwritten blocks, and the folder is flushed after it, so the rename itself
 * survives a power cut. A leftover temporary file from a killed save is simply overwritten.
 */
function replaceFile(dir: string, file: string, bytes: Buffer): void {
  const temporary = `${file}.tmp`;
  const fd = openSync(temporary, "w");
  try {
    writeFileSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  syncFolder(dir);
}

function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, "r");
  } catch {
    return; // Windows cannot open a folder; its rename is flushed with the file system's journal.
  }
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
