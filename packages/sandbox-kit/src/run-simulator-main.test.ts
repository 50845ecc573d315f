import { describe, expect, it } from "vitest";
import {
  type MainProcess,
  type RunningSimulator,
  runSimulatorMain,
  type SimulatorMainSettings,
  SimulatorUsageError,
} from "./run-simulator-main.ts";

/** A process whose output, exit codes and signal handlers a test can read and fire. */
function fakeProcess(env: Record<string, string | undefined> = {}) {
  const lines: string[] = [];
  const errors: unknown[] = [];
  const exits: number[] = [];
  const handlers = new Map<string, () => void>();
  let exited: (code: number) => void = () => undefined;
  const exit = new Promise<number>((resolve) => {
    exited = resolve;
  });
  const process: MainProcess = {
    env,
    writeLine: (line) => lines.push(line),
    writeError: (message) => errors.push(message),
    exit: (code) => {
      exits.push(code);
      exited(code);
    },
    onceSignal: (signal, listener) => handlers.set(signal, listener),
  };
  const signal = (name: string) => handlers.get(name)?.();
  return { process, lines, errors, exits, exit, signal, handlers };
}

/** A simulator that counts how often it was closed. */
function fakeSimulator(close: () => Promise<void> = async () => undefined) {
  const simulator = {
    url: "http://127.0.0.1:41234",
    closes: 0,
    close() {
      simulator.closes += 1;
      return close();
    },
  };
  return simulator;
}

describe("runSimulatorMain", () => {
  it("starts on HOST and PORT with NOTIFY_URL and SIM_DATA_DIR and prints one JSON line naming the service and its URL", async () => {
    const fake = fakeProcess({
      HOST: "0.0.0.0",
      PORT: "8081",
      NOTIFY_URL: "http://127.0.0.1:8080/webhooks/qris",
      SIM_DATA_DIR: ".data/sandboxes",
    });
    const started: SimulatorMainSettings[] = [];
    await runSimulatorMain({
      service: "qris-sandbox",
      start: async (settings) => {
        started.push(settings);
        return fakeSimulator();
      },
      process: fake.process,
    });
    expect(started).toStrictEqual([
      {
        host: "0.0.0.0",
        port: 8081,
        notifyUrl: "http://127.0.0.1:8080/webhooks/qris",
        dataDir: ".data/sandboxes",
      },
    ]);
    expect(fake.lines).toEqual(['{"service":"qris-sandbox","url":"http://127.0.0.1:41234"}']);
    expect(fake.exits).toEqual([]);
  });

  it("takes a free port, no notify URL and no data folder when the variables are unset or empty", async () => {
    for (const env of [{}, { HOST: "", PORT: "", NOTIFY_URL: "", SIM_DATA_DIR: "" }]) {
      const started: SimulatorMainSettings[] = [];
      await runSimulatorMain({
        service: "va-sandbox",
        start: async (settings) => {
          started.push(settings);
          return fakeSimulator();
        },
        process: fakeProcess(env).process,
      });
      expect(started).toStrictEqual([{ port: 0 }]);
    }
  });

  it("exits 2 without starting anything when PORT is not a port", async () => {
    for (const port of ["65536", "-1", "80.5", "http"]) {
      const fake = fakeProcess({ PORT: port });
      let starts = 0;
      await runSimulatorMain({
        service: "va-sandbox",
        start: async () => {
          starts += 1;
          return fakeSimulator();
        },
        process: fake.process,
      });
      expect({ starts, exits: fake.exits, lines: fake.lines }).toEqual({ starts: 0, exits: [2], lines: [] });
      expect(fake.errors).toEqual([`PORT must be 0–65535, got ${JSON.stringify(port)}`]);
    }
  });

  it("exits 2 with the message of a SimulatorUsageError from start", async () => {
    const fake = fakeProcess({ AUTO_COMPLETE_MS: "soon" });
    await runSimulatorMain({
      service: "transfer-sandbox",
      start: async (_settings, env) => {
        throw new SimulatorUsageError(
          `AUTO_COMPLETE_MS must be a non-negative integer, got ${env.AUTO_COMPLETE_MS}`,
        );
      },
      process: fake.process,
    });
    expect(fake.exits).toEqual([2]);
    expect(fake.errors).toEqual(["AUTO_COMPLETE_MS must be a non-negative integer, got soon"]);
  });

  it("lets any other start failure reject, so the process dies loudly", async () => {
    const fake = fakeProcess();
    const failure = new Error("listen EADDRINUSE");
    await expect(
      runSimulatorMain({
        service: "qris-sandbox",
        start: () => Promise.reject(failure),
        process: fake.process,
      }),
    ).rejects.toBe(failure);
    expect(fake.exits).toEqual([]);
  });

  it("closes once on the first SIGTERM or SIGINT and exits 0", async () => {
    for (const first of ["SIGTERM", "SIGINT"]) {
      const fake = fakeProcess();
      const simulator = fakeSimulator();
      await runSimulatorMain({
        service: "qris-sandbox",
        start: async () => simulator,
        process: fake.process,
      });
      expect([...fake.handlers.keys()].sort()).toEqual(["SIGINT", "SIGTERM"]);
      fake.signal(first);
      fake.signal("SIGTERM");
      fake.signal("SIGINT");
      expect(await fake.exit).toBe(0);
      expect({ closes: simulator.closes, exits: fake.exits }).toEqual({ closes: 1, exits: [0] });
    }
  });

  it("exits 1 and reports why when closing fails", async () => {
    const fake = fakeProcess();
    const failure = new Error("close failed");
    const simulator: RunningSimulator = fakeSimulator(() => Promise.reject(failure));
    await runSimulatorMain({ service: "qris-sandbox", start: async () => simulator, process: fake.process });
    fake.signal("SIGTERM");
    expect(await fake.exit).toBe(1);
    expect(fake.errors).toEqual([failure]);
  });
});
