import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
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
  /** Where the provider simulators keep their state: "<dir>" or "memory". */
  simulators: string;
}

/**
 * Where the daily reconciliation runs: inside the router, on its embedded database (PGlite is one
 * connection in one process), or with Postgres as the reconciler's own process.
 */
export type StackReconciliation = { host: "router" } | { host: "reconciler"; http: string };

/** The running stack: where each part listens, and how to stop it. */
export interface LocalStack {
  adapters: Record<AdapterName, LocalAdapter>;
  backends: StackBackends;
  reconciliation: StackReconciliation;
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
  "reconciler",
];

/**
 * Starts every adapter with its provider simulator, then the router routing each payment method to
 * its adapter, then points each simulator's notifications at the router's webhook for that adapter.
 * Each service is a real Node process, as in production, so a local run exercises the same gRPC and
 * HTTP hops. An adapter needs its simulator's URL and the router needs every adapter's address, so
 * each pair starts in order, the four pairs side by side, and the router after them. Each adapter's
 * settlement reports are reconciled daily on its simulator's declared terms: by the router itself
 * on its embedded database, or, with DATABASE_URL, by a reconciler process started last.
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
  const data = embeddedData(options.root);
  const startPair = async (name: AdapterName): Promise<LocalAdapter> => {
    const spec = LOCAL_ADAPTERS[name];
    const simulator = await start(spec.sandbox.service, spec.sandbox.file, { PORT: "0", ...data.simulators });
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
    const reconConfig = JSON.stringify(await reconciliationConfig(adapters));
    const embedded = !process.env.DATABASE_URL;
    const router = await start("router", "services/router/src/main.ts", {
      PAYMESH_ROUTER_CONFIG: JSON.stringify(routerConfig),
      ...data.router,
      ...(embedded ? { PAYMESH_RECON_CONFIG: reconConfig } : {}),
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
    let reconciliation: StackReconciliation;
    if (embedded) {
      if (router.ready.recon !== "in process")
        throw new Error(`router announced ${JSON.stringify(router.ready)} without hosting reconciliation`);
      reconciliation = { host: "router" };
    } else {
      // The same store (DATABASE_URL, PAYMESH_DB_SCHEMA) and broker (AMQP_URL) as the router, from
      // the environment both inherit.
      const reconciler = await start("reconciler", "services/reconciler/src/main.ts", {
        PAYMESH_RECON_CONFIG: reconConfig,
        RECON_HTTP_PORT: "0",
      });
      reconciliation = { host: "reconciler", http: announced(reconciler, "http") };
    }
    const env = { ...process.env, ...data.router, ...data.simulators };
    return {
      adapters,
      backends: { ...(announcedBackends(router) ?? routerBackends(env)), simulators: simulatorState(env) },
      reconciliation,
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
 * The reconciler's settings for the stack (PAYMESH_RECON_CONFIG): each adapter at its address, on
 * the terms its simulator declares; the schedule's defaults (a look at due days every minute, a
 * week's look-back) otherwise.
 */
async function reconciliationConfig(adapters: Record<AdapterName, LocalAdapter>): Promise<unknown> {
  const entries = await Promise.all(
    ADAPTER_NAMES.map(async (name) => [
      name,
      { address: adapters[name].address, ...(await LOCAL_ADAPTERS[name].sandbox.terms()) },
    ]),
  );
  return { adapters: Object.fromEntries(entries) };
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
 * Without a DATABASE_URL the router keeps its embedded PGlite database in `.data/pglite` (or where
 * PAYMESH_DATA_DIR says), so payments survive a restart of the stack; the simulators then keep
 * theirs in `sandboxes` next to it (SIM_DATA_DIR), or a payment left pending could never complete.
 * PGlite creates only the last directory of its path, and `.data` is git-ignored, so a fresh clone
 * has none: it is created here. An explicit SIM_DATA_DIR is left alone; with Postgres the
 * simulators stay in memory unless it is set.
 */
function embeddedData(root: string): { router: Record<string, string>; simulators: Record<string, string> } {
  if (process.env.DATABASE_URL) return { router: {}, simulators: {} };
  const router = process.env.PAYMESH_DATA_DIR ? {} : { PAYMESH_DATA_DIR: join(root, ".data", "pglite") };
  const pglite = process.env.PAYMESH_DATA_DIR || join(root, ".data", "pglite");
  mkdirSync(dirname(pglite), { recursive: true });
  const simulators = process.env.SIM_DATA_DIR ? {} : { SIM_DATA_DIR: join(dirname(pglite), "sandboxes") };
  return { router, simulators };
}

/** Where the simulators keep their state, from the SIM_DATA_DIR they get. */
function simulatorState(env: Readonly<Record<string, string | undefined>>): string {
  return env.SIM_DATA_DIR ? env.SIM_DATA_DIR : "memory";
}

/**
 * What the router will use, read from the same variables the router reads (an empty one counts as
 * unset, as there): Postgres at DATABASE_URL or PGlite, Redis at REDIS_URL or memory, RabbitMQ at
 * AMQP_URL or its in-process queue. The URLs are not repeated: they may hold passwords.
 */
export function routerBackends(
  env: Readonly<Record<string, string | undefined>>,
): Omit<StackBackends, "simulators"> {
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
function announcedBackends(router: StartedProcess): Omit<StackBackends, "simulators"> | undefined {
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
