import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { openDurableState } from "./durable-state.ts";
import { isSimulatorUsageError } from "./run-simulator-main.ts";

/** A throwaway data folder, removed after the test. */
function dataFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "sim-state-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Kept {
  payments: Map<string, { amount: bigint; createdAt: Date; state: string }>;
  seen: Set<string>;
}

/** A simulator's state as a test holds it: what it keeps, opened from `dir`. */
function openKept(dir: string | undefined, name = "test-sandbox") {
  const kept: Kept = { payments: new Map(), seen: new Set() };
  const durable = openDurableState<Kept>({
    dataDir: dir,
    name,
    snapshot: () => kept,
    restore: (saved) => {
      for (const [id, payment] of saved.payments) kept.payments.set(id, payment);
      for (const id of saved.seen) kept.seen.add(id);
    },
  });
  return { kept, durable };
}

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isSimulatorUsageError(error)) return error.message;
    throw error;
  }
  throw new Error("no SimulatorUsageError");
}

describe("openDurableState", () => {
  it("gives a restarted simulator what the last save kept: bigints, dates, maps and sets included", () => {
    const dir = dataFolder();
    const first = openKept(dir);
    const createdAt = new Date("2030-01-02T03:04:05.678Z");
    first.kept.payments.set("p-1", { amount: 9_223_372_036_854_775_807n, createdAt, state: "pending" });
    first.kept.seen.add("ext-1");
    first.durable.save();
    first.kept.payments.set("p-2", { amount: 1n, createdAt, state: "pending" }); // never saved

    const second = openKept(dir);
    expect(second.durable.file).toBe(join(dir, "test-sandbox.state"));
    expect([...second.kept.payments]).toEqual([
      ["p-1", { amount: 9_223_372_036_854_775_807n, createdAt, state: "pending" }],
    ]);
    expect(second.kept.seen).toEqual(new Set(["ext-1"]));
  });

  it("starts empty on a new folder and leaves one file per simulator name, nothing else", () => {
    const dir = join(dataFolder(), "sandboxes", "nested");
    const qris = openKept(dir, "qris-sandbox");
    const va = openKept(dir, "va-sandbox");
    expect(qris.kept.payments.size).toBe(0);
    qris.kept.seen.add("q");
    qris.durable.save();
    va.kept.seen.add("v");
    va.durable.save();
    expect(readdirSync(dir).sort()).toEqual(["qris-sandbox.state", "va-sandbox.state"]);
    expect(openKept(dir, "va-sandbox").kept.seen).toEqual(new Set(["v"]));
  });

  it("keeps nothing and writes nothing without a data folder", () => {
    const { kept, durable } = openKept(undefined);
    kept.seen.add("x");
    durable.save();
    expect(durable.file).toBeUndefined();
  });

  it("ignores what a save killed mid-write left behind, and its next save replaces it", () => {
    const dir = dataFolder();
    const first = openKept(dir);
    first.kept.seen.add("kept");
    first.durable.save();
    const whole = readFileSync(join(dir, "test-sandbox.state"));
    // A save killed while writing leaves a torn temporary file; the state file is untouched.
    writeFileSync(join(dir, "test-sandbox.state.tmp"), whole.subarray(0, whole.length >> 1));

    const second = openKept(dir);
    expect(second.kept.seen).toEqual(new Set(["kept"]));
    second.kept.seen.add("after");
    second.durable.save();
    expect(readdirSync(dir)).toEqual(["test-sandbox.state"]);
    expect(openKept(dir).kept.seen).toEqual(new Set(["kept", "after"]));
  });

  it("refuses, naming the file, a file it cannot read or one kept for another simulator or version", () => {
    const dir = dataFolder();
    const saved = openKept(dir, "qris-sandbox");
    saved.kept.seen.add("x");
    saved.durable.save();
    const file = join(dir, "qris-sandbox.state");
    const bytes = readFileSync(file);

    const newer = () =>
      openDurableState({
        dataDir: dir,
        name: "qris-sandbox",
        version: 2,
        snapshot: () => 0,
        restore: () => {},
      });
    expect(usageError(newer)).toBe(
      `${file} holds the state of qris-sandbox version 1, not qris-sandbox version 2; move it away to start empty`,
    );
    writeFileSync(join(dir, "va-sandbox.state"), bytes);
    expect(usageError(() => openKept(dir, "va-sandbox"))).toMatch(
      /holds the state of qris-sandbox version 1/,
    );
    writeFileSync(file, bytes.subarray(0, bytes.length - 3));
    expect(usageError(() => openKept(dir, "qris-sandbox"))).toBe(
      `${file} is not a simulator state file; move it away to start empty`,
    );
  });
});
