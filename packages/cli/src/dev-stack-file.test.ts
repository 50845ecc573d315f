import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isCliError } from "./cli-error.ts";
import {
  type DevStack,
  devStackPath,
  isOwnerAlive,
  readDevStack,
  removeDevStack,
  writeDevStack,
} from "./dev-stack-file.ts";

const STACK: DevStack = {
  pid: process.pid,
  startedAt: "2025-01-01T00:00:00.000Z",
  token: "paymesh-local-dev-token-cli-0001",
  router: { grpc: "127.0.0.1:50051", http: "http://127.0.0.1:8080" },
  adapters: {
    qris: { address: "127.0.0.1:41002" },
    va: { address: "127.0.0.1:41004" },
    transfer: { address: "127.0.0.1:41006" },
    remittance: { address: "127.0.0.1:41008" },
  },
  sandboxes: {
    qris: { url: "http://127.0.0.1:41003" },
    va: { url: "http://127.0.0.1:41005" },
    transfer: { url: "http://127.0.0.1:41007" },
    remittance: { url: "http://127.0.0.1:41009" },
  },
};

const roots: string[] = [];
function freshPath(): string {
  const root = mkdtempSync(join(tmpdir(), "paymesh-cli-"));
  roots.push(root);
  return devStackPath(root);
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe("dev-stack file", () => {
  it("round-trips through .data/dev-stack.json, creating .data", () => {
    const path = freshPath();
    expect(readDevStack(path)).toBeUndefined();
    writeDevStack(path, STACK);
    expect(path.endsWith(join(".data", "dev-stack.json"))).toBe(true);
    expect(readDevStack(path)).toEqual(STACK);
  });

  it("is removed only by the process that owns it", () => {
    const path = freshPath();
    writeDevStack(path, STACK);
    removeDevStack(path, process.pid + 1);
    expect(readDevStack(path)).toEqual(STACK);
    removeDevStack(path, process.pid);
    expect(readDevStack(path)).toBeUndefined();
  });

  it("refuses a file that is not one, saying what to do", () => {
    const path = freshPath();
    writeDevStack(path, STACK);
    writeFileSync(path, '{"pid": 1}');
    let error: unknown;
    try {
      readDevStack(path);
    } catch (caught) {
      error = caught;
    }
    expect(isCliError(error) && error.message).toBe(
      `${path} is not a dev-stack file; delete it or run "./run pnpm start" again`,
    );
  });

  it("refuses a file from a stack without all four adapters", () => {
    const path = freshPath();
    const { va: _va, ...qrisOnly } = STACK.sandboxes;
    writeDevStack(path, STACK);
    writeFileSync(path, JSON.stringify({ ...STACK, sandboxes: qrisOnly }));
    expect(() => readDevStack(path)).toThrow("is not a dev-stack file");
  });

  it("tells a live owner from a dead one", () => {
    expect(isOwnerAlive(STACK)).toBe(true);
    // Pids are at most 2^22 on Linux, so this one cannot be running.
    expect(isOwnerAlive({ ...STACK, pid: 2 ** 30 })).toBe(false);
  });
});
