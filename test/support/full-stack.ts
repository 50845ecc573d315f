import { adapterEnv as qrisAdapterEnv } from "@paymesh/adapter-qris/sandbox/adapter-env";
import { adapterEnv as remittanceAdapterEnv } from "@paymesh/adapter-remittance/sandbox/adapter-env";
import { adapterEnv as transferAdapterEnv } from "@paymesh/adapter-transfer/sandbox/adapter-env";
import { adapterEnv as vaAdapterEnv } from "@paymesh/adapter-va/sandbox/adapter-env";
import type { StartedProcess } from "@paymesh/test-kit";
import { simulatorControl, TEST_TOKEN } from "./qris-stack.ts";
import { startService } from "./start-process.ts";

/** The router's registry names of the four adapters (also their webhook path segments). */
export type AdapterName = "qris" | "va" | "transfer" | "remittance";

/** Every adapter the full stack runs, in the order their addresses are reported. */
export const ADAPTER_NAMES: readonly AdapterName[] = ["qris", "va", "transfer", "remittance"];

/**
 * How each adapter is pointed at its simulator: each simulator's `adapterEnv` gives the adapter's
 * base URL and the simulator's fake test credentials (see each adapter's README).
 */
const ADAPTERS: Readonly<
  Record<AdapterName, { folder: string; adapterEnv(simulatorUrl: string): Record<string, string> }>
> = {
  qris: {
    folder: "services/adapter-qris",
    adapterEnv: qrisAdapterEnv,
  },
  va: {
    folder: "services/adapter-va",
    // Empty: notifications go to the simulator's configured notifyUrl, not a per-charge override.
    adapterEnv: (url) => ({ ...vaAdapterEnv(url), MIDTRANS_NOTIFICATION_URL: "" }),
  },
  transfer: {
    folder: "services/adapter-transfer",
    adapterEnv: transferAdapterEnv,
  },
  remittance: {
    folder: "services/adapter-remittance",
    adapterEnv: remittanceAdapterEnv,
  },
};

/** The router's routes: one adapter per method, as a deployment with these four would configure. */
const ROUTES = {
  qris: ["qris"],
  virtual_account: ["va"],
  bank_transfer: ["transfer"],
  remittance: ["remittance"],
} as const;

/** Router + all four adapters + their simulators, each a real process on free ports. */
export interface FullStack {
  routerGrpc: string;
  routerHttp: string;
  /** Each adapter's simulator base URL (its /sim/ control API lives there too). */
  simulators: Record<AdapterName, string>;
  /** Each adapter's gRPC "host:port". */
  adapters: Record<AdapterName, string>;
  processes: StartedProcess<unknown>[];
  stop(): Promise<void>;
}

/** Options for startFullStack; without any, the stack is the one every e2e test runs. */
export interface FullStackOptions {
  /**
   * Top-level router config entries laid over the stack's own (e.g. `resolver` with fast
   * settings for a chaos run, or `policy`). Each key given replaces the stack's value for it.
   */
  routerConfig?: Record<string, unknown>;
  /**
   * Environment laid over the router's embedded backends, for a test that inspects real ones
   * (DATABASE_URL with PAYMESH_KEK and a PAYMESH_DB_SCHEMA of its own, say). @default {}
   */
  routerEnv?: Record<string, string>;
}

/**
 * Starts the whole mesh: each simulator and then its adapter (the four pairs in parallel), then
 * the router with embedded backends and every adapter registered by config, and finally points
 * each simulator's notifications at the router's /webhooks/<name>. If any step fails, everything
 * already started is stopped before the error is thrown.
 */
export async function startFullStack(options: FullStackOptions = {}): Promise<FullStack> {
  const processes: StartedProcess<unknown>[] = [];
  const track = async <T>(starting: Promise<StartedProcess<T>>): Promise<StartedProcess<T>> => {
    const started = await starting;
    processes.push(started);
    return started;
  };
  try {
    const pairs = await allSettledOrThrow(
      ADAPTER_NAMES.map(async (name) => {
        const { folder, adapterEnv } = ADAPTERS[name];
        const simulator = await track(
          // NOTIFY_URL empty and no auto-completion: notifications go where /sim/config says, and
          // payments move only when a test makes the simulator act.
          startService<{ url: string }>(`${folder}/sandbox/main.ts`, {
            PORT: "0",
            NOTIFY_URL: "",
            AUTO_COMPLETE_MS: "",
          }),
        );
        const adapter = await track(
          startService<{ address: string }>(`${folder}/src/main.ts`, {
            ADAPTER_PORT: "0",
            ...adapterEnv(simulator.ready.url),
          }),
        );
        return { name, simulator: simulator.ready.url, adapter: adapter.ready.address };
      }),
    );
    const simulators = Object.fromEntries(pairs.map((pair) => [pair.name, pair.simulator])) as Record<
      AdapterName,
      string
    >;
    const adapters = Object.fromEntries(pairs.map((pair) => [pair.name, pair.adapter])) as Record<
      AdapterName,
      string
    >;
    const router = await track(
      startService<{ grpc: string; http: string }>("services/router/src/main.ts", {
        // Embedded backends, whatever this run's environment says: a test stack must never share
        // (and replay) keys and payments with another run in a real server's default schema.
        DATABASE_URL: "",
        REDIS_URL: "",
        AMQP_URL: "",
        PAYMESH_DATA_DIR: "",
        ...options.routerEnv,
        PAYMESH_ROUTER_CONFIG: JSON.stringify({
          grpcPort: 0,
          httpPort: 0,
          callers: { e2e: TEST_TOKEN },
          adapters: Object.fromEntries(ADAPTER_NAMES.map((name) => [name, { address: adapters[name] }])),
          routes: ROUTES,
          ...options.routerConfig,
        }),
      }),
    );
    await allSettledOrThrow(
      ADAPTER_NAMES.map((name) =>
        simulatorControl(simulators[name], "/sim/config", {
          notifyUrl: `${router.ready.http}/webhooks/${name}`,
        }),
      ),
    );
    return {
      routerGrpc: router.ready.grpc,
      routerHttp: router.ready.http,
      simulators,
      adapters,
      processes,
      stop: () => stopAll(processes),
    };
  } catch (error) {
    await stopAll(processes);
    throw error;
  }
}

/**
 * Like Promise.all, but waits for every start to settle before failing, so a process another
 * branch was still starting is tracked (and stopped) rather than left running.
 */
async function allSettledOrThrow<T>(work: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(work);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  return results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
}

/** The last one started (the router, once it runs) first, so no call is in flight towards a stopping adapter. */
async function stopAll(processes: StartedProcess<unknown>[]): Promise<void> {
  const [last, ...rest] = [...processes].reverse();
  await last?.stop();
  await Promise.all(rest.map((process) => process.stop()));
}
