import { adapterEnv as qrisAdapterEnv } from "@paymesh/adapter-qris/sandbox/adapter-env";
import type { StartedProcess } from "@paymesh/test-kit";
import { startService } from "./start-process.ts";

/** The token the stack's router accepts from the test caller. */
export const TEST_TOKEN = "paymesh-e2e-test-token-000000001";
/** A second calling service, to check that callers see only their own payments. */
export const OTHER_TOKEN = "paymesh-e2e-other-caller-token-02";

/** Router + QRIS adapter + its simulator, each a real process on free ports. */
export interface QrisStack {
  simulatorUrl: string;
  adapterAddress: string;
  /** The adapter's HTTP face: /metrics, /healthz, /readyz. */
  adapterHttp: string;
  routerGrpc: string;
  routerHttp: string;
  processes: StartedProcess<unknown>[];
  stop(): Promise<void>;
}

/** Starts the stack in dependency order and points the simulator's notifications at the router. */
export async function startQrisStack(
  options: {
    /** Puts something between router and adapter (a counting proxy); returns the address the router should use. */
    routeAdapterThrough?: (adapterAddress: string) => Promise<string>;
  } = {},
): Promise<QrisStack> {
  const processes: StartedProcess<unknown>[] = [];
  try {
    const simulator = await startService<{ url: string }>("services/adapter-qris/sandbox/main.ts", {
      PORT: "0",
    });
    processes.push(simulator);
    const adapter = await startService<{ address: string; http: string }>(
      "services/adapter-qris/src/main.ts",
      {
        ADAPTER_PORT: "0",
        ...qrisAdapterEnv(simulator.ready.url),
      },
    );
    processes.push(adapter);
    const router = await startService<{ grpc: string; http: string }>("services/router/src/main.ts", {
      // Embedded backends, whatever this run's environment says: a test stack must never share
      // (and replay) keys and payments with another run in a real server's default schema.
      DATABASE_URL: "",
      REDIS_URL: "",
      AMQP_URL: "",
      PAYMESH_DATA_DIR: "",
      PAYMESH_ROUTER_CONFIG: JSON.stringify({
        grpcPort: 0,
        httpPort: 0,
        callers: { e2e: TEST_TOKEN, other: OTHER_TOKEN },
        adapters: {
          qris: {
            address: (await options.routeAdapterThrough?.(adapter.ready.address)) ?? adapter.ready.address,
          },
        },
        routes: { qris: ["qris"] },
      }),
    });
    processes.push(router);
    const configured = await fetch(`${simulator.ready.url}/sim/config`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ notifyUrl: `${router.ready.http}/webhooks/qris` }),
    });
    if (!configured.ok) throw new Error(`simulator config failed: ${configured.status}`);
    return {
      simulatorUrl: simulator.ready.url,
      adapterAddress: adapter.ready.address,
      adapterHttp: adapter.ready.http,
      routerGrpc: router.ready.grpc,
      routerHttp: router.ready.http,
      processes,
      stop: () => stopAll(processes),
    };
  } catch (error) {
    await stopAll(processes);
    throw error;
  }
}

async function stopAll(processes: StartedProcess<unknown>[]): Promise<void> {
  await Promise.all(processes.reverse().map((process) => process.stop()));
}

/** Calls a simulator control endpoint and returns its JSON answer. */
export async function simulatorControl<T>(simulatorUrl: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${simulatorUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}
