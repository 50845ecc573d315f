import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { tracingNodeArgs } from "@paymesh/telemetry";
import { postJson } from "../http-json.ts";
import { ADAPTER_NAMES, type AdapterName, LOCAL_ADAPTERS, perAdapter } from "./local-adapters.ts";
import { type ProcessExit, type StartedProcess, startProcess } from "./start-process.ts";

/** Options for startLocalStack; `up` fills them from its flags. */
export interface LocalStackOptions {
  /** Repo root; the services are run from their source files under it. */
  root: string;
  grpcPort: number;
  httpPort: number;
  /** Bearer token the router accepts from the caller "cli". */
  token: string;
  /** Per service. @default 60000: PGlite's first start on a busy machine takes tens of seconds. */
  readyTimeoutMs?: number;
  /** Every output line of every service after its ready line. */
  onLine: (service: string, line: string, stream: "stdout" | "stderr") => void;
  /** Aborting stops whatever has started and rejects. */
  signal?: AbortSignal;
}

/** Where one adapter and its simulator listen. */
export interface LocalAdapter {
  /** The adapter's gRPC address. */
  address: string;
  /** The provider simulator's base URL (its `/sim/…` control API lives there too). */
  simulatorUrl: string;
}

/** The router's backends, in words, as the router picks them from its environment. */
export interface StackBackends {
  /** "Postgres (DATABASE_URL)" or "PGlite in <dir>". */
  database: string;
  /** "Redis (REDIS_URL)" or "in memory". */
  idempotency: string;
  /** "RabbitMQ (AMQP_URL)" or "in process". */
  queue: string;
}

/** The running stack: where each part listens, and how to stop it. */
export interface LocalStack {
  adapters: Record<AdapterName, LocalAdapter>;
  backends: StackBackends;
  routerGrpc: string;
  routerHttp: string;
  /** Settles when the first service exits, whoever it is: the stack is then broken. */
  firstExit: Promise<{ service: string; exit: ProcessExit }>;
  /** Stops every service (router first, so it stops taking payments before its adapters go). */
  stop(): Promise<void>;
}

/** The services' names as they announce themselves and as log prefixes. */
export const SERVICE_NAMES: readonly string[] = [
  ...ADAPTER_NAMES.flatMap((name) => [
    LOCAL_ADAPTERS[name].sandbox.service,
    LOCAL_ADAPTERS[name].adapter.service,
  ]),
  "router",
];

/**
 * Starts every adapter with its provider simulator, then the router routing each payment method to
 * its adapter, then points each simulator's notifications at the router's webhook for that adapter.
 * Each service is a real Node process, as in production, so a local run exercises the same gRPC and
 * HTTP hops. An adapter needs its simulator's URL and the router needs every adapter's address, so
 * each pair starts in order, the four pairs side by side, and the router last.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const started: StartedProcess[] = [];
  const stopAll = async (): Promise<void> => {
    for (const service of [...started].reverse()) await service.stop();
  };
  // One failing pair stops the others' start-up at once instead of letting them run to their deadline.
  const failed = new AbortController();
  const signal =
    options.signal === undefined ? failed.signal : AbortSignal.any([options.signal, failed.signal]);
  const start = async (name: string, file: string, env: Record<string, string>): Promise<StartedProcess> => {
    const service = await startProcess({
      name,
      // Out of the terminal's process group: a Ctrl-C reaches only `up`, which stops the services in
      // order, instead of each of them dying on its own and looking like a crash.
      detached: true,
      // Traced as in production when OTEL_* variables ask for it (docs/architecture.md §7).
      args: [...tracingNodeArgs(), join(options.root, file)],
      cwd: options.root,
      env: { OTEL_SERVICE_NAME: name, ...env },
      isReady: (line) => line.service === name,
      onLine: (line, stream) => options.onLine(name, line, stream),
      signal,
      readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
    });
    started.push(service);
    return service;
  };
  const startPair = async (name: AdapterName): Promise<LocalAdapter> => {
    const spec = LOCAL_ADAPTERS[name];
    const simulator = await start(spec.sandbox.service, spec.sandbox.file, { PORT: "0" });
    const simulatorUrl = announced(simulator, "url");
    const adapter = await start(spec.adapter.service, spec.adapter.file, {
      ADAPTER_PORT: "0",
      ...(await spec.adapter.env(simulatorUrl)),
    });
    return { address: announced(adapter, "address"), simulatorUrl };
  };
  try {
    const pairs = perAdapter(startPair);
    await settleAll(Object.values(pairs), () => failed.abort());
    const adapters: Record<AdapterName, LocalAdapter> = {
      qris: await pairs.qris,
      va: await pairs.va,
      transfer: await pairs.transfer,
      remittance: await pairs.remittance,
    };
    const routerConfig = {
      host: "127.0.0.1",
      grpcPort: options.grpcPort,
      httpPort: options.httpPort,
      callers: { cli: options.token },
      adapters: perAdapter((name) => ({ address: adapters[name].address })),
      routes: Object.fromEntries(ADAPTER_NAMES.map((name) => [LOCAL_ADAPTERS[name].method, [name]])),
    };
    const dataDir = embeddedDataDir(options.root);
    const router = await start("router", "services/router/src/main.ts", {
      PAYMESH_ROUTER_CONFIG: JSON.stringify(routerConfig),
      ...dataDir,
    });
    const routerGrpc = announced(router, "grpc");
    const routerHttp = announced(router, "http");
    await Promise.all(
      ADAPTER_NAMES.map((name) =>
        postJson(`${adapters[name].simulatorUrl}/sim/config`, {
          notifyUrl: `${routerHttp}/webhooks/${name}`,
        }),
      ),
    );
    return {
      adapters,
      backends: announcedBackends(router) ?? routerBackends({ ...process.env, ...dataDir }),
      routerGrpc,
      routerHttp,
      firstExit: Promise.race(started.map((s) => s.exited.then((exit) => ({ service: s.name, exit })))),
      stop: stopAll,
    };
  } catch (error) {
    failed.abort();
    await stopAll();
    throw error;
  }
}

/**
 * Waits until every promise has settled, so no service is still starting when the caller stops the
 * started ones, and rejects with the first failure rather than the "interrupted" the others report
 * after `onFirstError` has cut their start-up short.
 */
async function settleAll(promises: readonly Promise<unknown>[], onFirstError: () => void): Promise<void> {
  let first: { error: unknown } | undefined;
  await Promise.allSettled(
    promises.map((promise) =>
      promise.catch((error: unknown) => {
        if (first === undefined) {
          first = { error };
          onFirstError();
        }
      }),
    ),
  );
  if (first !== undefined) throw first.error;
}

/**
 * Without a DATABASE_URL the router keeps its embedded PGlite database in `.data/pglite`, so payments
 * survive a restart of the stack. PGlite creates only the last directory of that path, and `.data`
 * is git-ignored, so a fresh clone has none: it is created here.
 */
function embeddedDataDir(root: string): Record<string, string> {
  if (process.env.DATABASE_URL || process.env.PAYMESH_DATA_DIR) return {};
  const data = join(root, ".data");
  mkdirSync(data, { recursive: true });
  return { PAYMESH_DATA_DIR: join(data, "pglite") };
}

/**
 * What the router will use, read from the same variables the router reads (an empty one counts as
 * unset, as there): Postgres at DATABASE_URL or PGlite, Redis at REDIS_URL or memory, RabbitMQ at
 * AMQP_URL or its in-process queue. The URLs are not repeated: they may hold passwords.
 */
export function routerBackends(env: Readonly<Record<string, string | undefined>>): StackBackends {
  return {
    database: env.DATABASE_URL
      ? "Postgres (DATABASE_URL)"
      : `PGlite in ${env.PAYMESH_DATA_DIR ? env.PAYMESH_DATA_DIR : "memory"}`,
    idempotency: env.REDIS_URL ? "Redis (REDIS_URL)" : "in memory",
    queue: env.AMQP_URL ? "RabbitMQ (AMQP_URL)" : "in process",
  };
}

// The router announces what it opened ("pglite (<dir>)", "memory", "in process"); that is the
// truth, so it wins over reading the variables again.
function announcedBackends(router: StartedProcess): StackBackends | undefined {
  const { store, idempotency, queue } = router.ready;
  if (typeof store !== "string" || typeof idempotency !== "string" || typeof queue !== "string")
    return undefined;
  const database = store === "postgres" ? "Postgres (DATABASE_URL)" : store.replace(/^pglite/, "PGlite");
  return {
    database,
    idempotency: idempotency === "redis" ? "Redis (REDIS_URL)" : "in memory",
    queue: queue === "rabbitmq" ? "RabbitMQ (AMQP_URL)" : "in process",
  };
}

function announced(service: StartedProcess, key: string): string {
  const value = service.ready[key];
  if (typeof value !== "string" || value === "") {
    throw new Error(`${service.name} announced ${JSON.stringify(service.ready)} without "${key}"`);
  }
  return value;
}
