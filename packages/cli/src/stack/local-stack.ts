import { join } from "node:path";
import { postJson } from "../http-json.ts";
import { type ProcessExit, type StartedProcess, startProcess } from "./start-process.ts";

/** Options for startLocalStack; `up` fills them from its flags. */
export interface LocalStackOptions {
  /** Repo root; the services are run from their source files under it. */
  root: string;
  grpcPort: number;
  httpPort: number;
  /** Bearer token the router accepts from the caller "cli". */
  token: string;
  /** Per service. @default 20000 */
  readyTimeoutMs?: number;
  /** Every output line of every service after its ready line. */
  onLine: (service: string, line: string, stream: "stdout" | "stderr") => void;
  /** Aborting stops whatever has started and rejects. */
  signal?: AbortSignal;
}

/** The running stack: where each part listens, and how to stop it. */
export interface LocalStack {
  simulatorUrl: string;
  adapterAddress: string;
  routerGrpc: string;
  routerHttp: string;
  /** Settles when the first service exits, whoever it is: the stack is then broken. */
  firstExit: Promise<{ service: string; exit: ProcessExit }>;
  /** Stops every service (router first, so it stops taking payments before its adapter goes). */
  stop(): Promise<void>;
}

/** The services' names as they announce themselves and as log prefixes. */
export const SERVICE_NAMES = ["qris-sandbox", "adapter-qris", "router"] as const;

/**
 * Starts the QRIS simulator, the QRIS adapter pointed at it and the router pointed at the adapter —
 * each a real Node process, as in production, so a local run exercises the same gRPC hops — then
 * points the simulator's notifications at the router's webhook. Each step needs the address the
 * previous one bound, which is why they start in order rather than together.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const started: StartedProcess[] = [];
  const stopAll = async (): Promise<void> => {
    for (const service of [...started].reverse()) await service.stop();
  };
  const start = async (name: string, file: string, env: Record<string, string>): Promise<StartedProcess> => {
    const service = await startProcess({
      name,
      args: [join(options.root, file)],
      cwd: options.root,
      env,
      isReady: (line) => line.service === name,
      onLine: (line, stream) => options.onLine(name, line, stream),
      ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    started.push(service);
    return service;
  };
  try {
    const simulator = await start("qris-sandbox", "services/adapter-qris/sandbox/main.ts", { PORT: "0" });
    const simulatorUrl = announced(simulator, "url");
    const adapter = await start("adapter-qris", "services/adapter-qris/src/main.ts", {
      ADAPTER_PORT: "0",
      SNAP_BASE_URL: simulatorUrl,
      SNAP_SANDBOX: "1",
    });
    const adapterAddress = announced(adapter, "address");
    const routerConfig = {
      host: "127.0.0.1",
      grpcPort: options.grpcPort,
      httpPort: options.httpPort,
      callers: { cli: options.token },
      adapters: { qris: { address: adapterAddress } },
      routes: { qris: ["qris"] },
    };
    const router = await start("router", "services/router/src/main.ts", {
      PAYMESH_ROUTER_CONFIG: JSON.stringify(routerConfig),
      // Without a DATABASE_URL the router keeps its embedded PGlite database here, so payments
      // survive a restart of the stack.
      ...(process.env.DATABASE_URL || process.env.PAYMESH_DATA_DIR
        ? {}
        : { PAYMESH_DATA_DIR: join(options.root, ".data", "pglite") }),
    });
    const routerGrpc = announced(router, "grpc");
    const routerHttp = announced(router, "http");
    await postJson(`${simulatorUrl}/sim/config`, { notifyUrl: `${routerHttp}/webhooks/qris` });
    return {
      simulatorUrl,
      adapterAddress,
      routerGrpc,
      routerHttp,
      firstExit: Promise.race(started.map((s) => s.exited.then((exit) => ({ service: s.name, exit })))),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function announced(service: StartedProcess, key: string): string {
  const value = service.ready[key];
  if (typeof value !== "string" || value === "") {
    throw new Error(`${service.name} announced ${JSON.stringify(service.ready)} without "${key}"`);
  }
  return value;
}
