import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createGrpcClient } from "@paymesh/adapter-kit";
import { adapterv1 } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { adapterEnv } from "../sandbox/index.ts";

describe("src/main.ts", () => {
  it("prints one JSON line with its address, serves Describe, and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, [fileURLToPath(new URL("../src/main.ts", import.meta.url))], {
      env: { ...process.env, ...adapterEnv("http://127.0.0.1:9"), ADAPTER_PORT: "0" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const lines = createInterface({ input: child.stdout });
      const first = await lines[Symbol.asyncIterator]().next();
      const announced = JSON.parse(String(first.value)) as { service: string; address: string };
      expect(announced.service).toBe("adapter-remittance");
      expect(announced.address).toMatch(/^127\.0\.0\.1:\d+$/);
      const client = createGrpcClient(adapterv1.ProviderAdapter, announced.address);
      try {
        const description = await client.describe({}, { deadline: new Date(Date.now() + 5_000) });
        expect(description).toMatchObject({ provider: "wise", currencies: ["IDR", "SGD", "USD"] });
      } finally {
        client.close();
      }
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
