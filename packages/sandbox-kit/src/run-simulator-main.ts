/** The environment a simulator process reads. */
export type SimulatorEnv = Readonly<Record<string, string | undefined>>;

/** The settings every simulator process takes from its environment. */
export interface SimulatorMainSettings {
  /** `HOST`, the address to listen on (0.0.0.0 in a container); absent (127.0.0.1) when unset or empty. */
  host?: string;
  /** `PORT`, 0–65535. @default 0 (a free port) */
  port: number;
  /** `NOTIFY_URL`, where notifications go; absent when unset or empty. */
  notifyUrl?: string;
  /** `SIM_DATA_DIR`, the folder the simulator keeps its state in; absent (in memory) when unset or empty. */
  dataDir?: string;
}

/** What `runSimulatorMain` needs of a started simulator. */
export interface RunningSimulator {
  readonly url: string;
  close(): Promise<void>;
}

/** The parts of the Node process a simulator's main uses, replaceable in tests. */
export interface MainProcess {
  readonly env: SimulatorEnv;
  /** Writes one line to stdout. */
  writeLine(line: string): void;
  /** Reports to stderr. */
  writeError(message: unknown): void;
  exit(code: number): void;
  onceSignal(signal: "SIGTERM" | "SIGINT", listener: () => void): void;
}

/** The real process. */
const nodeProcess: MainProcess = {
  env: process.env,
  writeLine: (line) => process.stdout.write(`${line}\n`),
  writeError: (message) => console.error(message),
  exit: (code) => process.exit(code),
  onceSignal: (signal, listener) => process.once(signal, listener),
};

/**
 * Thrown by a simulator's `start` for a setting it cannot use (e.g. a malformed `AUTO_COMPLETE_MS`):
 * the process prints the message and exits 2, as for a bad `PORT`.
 */
export class SimulatorUsageError extends Error {
  /** Marker checked by {@link isSimulatorUsageError}. */
  readonly isSimulatorUsageError = true;
  override readonly name = "SimulatorUsageError";
}

/** True when `error` is a {@link SimulatorUsageError}, checked by its marker rather than `instanceof`. */
export function isSimulatorUsageError(error: unknown): error is SimulatorUsageError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as Record<string, unknown>).isSimulatorUsageError === true
  );
}

/** How a simulator runs as a process. */
export interface SimulatorMainOptions {
  /** `service` of the announcement line, e.g. "qris-sandbox": how launchers tell simulators apart. */
  service: string;
  /** Starts the simulator; `env` is there for settings only this simulator has. */
  start(settings: SimulatorMainSettings, env: SimulatorEnv): Promise<RunningSimulator>;
  /** @default the real process */
  process?: MainProcess;
}

/**
 * Runs a simulator as a process: reads `HOST`, `PORT` (exit 2 unless 0–65535), `NOTIFY_URL` and `SIM_DATA_DIR`,
 * starts it, prints one JSON line `{"service","url"}` (how `paymesh up` and e2e tests find it), and on
 * the first SIGTERM or SIGINT closes it and exits 0 (1 if closing failed). A failure to start rejects.
 */
export async function runSimulatorMain(options: SimulatorMainOptions): Promise<void> {
  const host = options.process ?? nodeProcess;
  const { env } = host;
  const port = Number(env.PORT ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    host.writeError(`PORT must be 0–65535, got ${JSON.stringify(env.PORT)}`);
    return host.exit(2);
  }
  let simulator: RunningSimulator;
  try {
    const settings: SimulatorMainSettings = {
      ...(env.HOST ? { host: env.HOST } : {}),
      port,
      ...(env.NOTIFY_URL ? { notifyUrl: env.NOTIFY_URL } : {}),
      ...(env.SIM_DATA_DIR ? { dataDir: env.SIM_DATA_DIR } : {}),
    };
    simulator = await options.start(settings, env);
  } catch (error) {
    if (!isSimulatorUsageError(error)) throw error;
    host.writeError(error.message);
    return host.exit(2);
  }
  host.writeLine(JSON.stringify({ service: options.service, url: simulator.url }));

  let stopping = false;
  function stop(): void {
    if (stopping) return;
    stopping = true;
    simulator.close().then(
      () => host.exit(0),
      (error: unknown) => {
        host.writeError(error);
        host.exit(1);
      },
    );
  }
  host.onceSignal("SIGTERM", stop);
  host.onceSignal("SIGINT", stop);
}
