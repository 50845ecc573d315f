import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("sandbox/main.ts", () => {
  it("prints one JSON line with its URL, serves, and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, [fileURLToPath(new URL("./main.ts", import.meta.url))], {
      env: { ...process.env, PORT: "0" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const lines = createInterface({ input: child.stdout });
      const first = await lines[Symbol.asyncIterator]().next();
      const announced = JSON.parse(String(first.value)) as { service: string; url: string };
      expect(announced.service).toBe("remittance-sandbox");
      expect(announced.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const stats = await fetch(`${announced.url}/sim/stats`);
      expect(await stats.json()).toMatchObject({ charges: 0 });
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
