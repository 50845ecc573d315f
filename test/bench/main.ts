// `pnpm bench`: CreatePayment throughput and latency through the router, directly against the QRIS
// adapter, and through a bare grpc-js forwarder in front of the adapter, measured side by side in
// one run (rounds interleaved so machine drift hits every path alike), with the ratios. Each router
// is measured twice: untraced, and with tracing exported over OTLP to a receiver that discards it.
// With BENCH_MODE=open it measures latency instead: CreatePayment started at fixed rates, whatever the
// answers, on the untraced paths (see open-loop.ts and latency-table.ts).
import { randomBytes, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createGrpcClient } from "@paymesh/adapter-kit";
import { adapterv1, PaymentService } from "@paymesh/proto";
import { deleteKeys, dropSchema, realBackends, TEST_KEK } from "../support/backends.ts";
import { startOtlpReceiver } from "../support/otlp-receiver.ts";
import { startQrisStack, TEST_TOKEN } from "../support/qris-stack.ts";
import { startService } from "../support/start-process.ts";
import { decimal } from "./decimal.ts";
import { printLatencyTables } from "./latency-table.ts";
import { type LoadResult, merge, quantile, runLoad } from "./load.ts";
import { type OpenLoopResult, runOpenLoop } from "./open-loop.ts";
import { processCpuMs } from "./process-cpu.ts";

const requestsPerRound = Number(process.env.BENCH_REQUESTS ?? 1500);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const openLoop = process.env.BENCH_MODE === "open";
if (!["open", "closed", undefined].includes(process.env.BENCH_MODE))
  throw new Error("BENCH_MODE is open or closed (the default)");
const rates = (process.env.BENCH_RATES ?? "100,200,400").split(",").map(Number);
const secondsPerRate = Number(process.env.BENCH_SECONDS ?? 10);
const openLoopTimeoutMs = Number(process.env.BENCH_TIMEOUT_MS ?? 5000);
if (![...rates, secondsPerRate, openLoopTimeoutMs].every((n) => Number.isFinite(n) && n > 0))
  throw new Error(
    "BENCH_RATES (comma-separated req/s), BENCH_SECONDS and BENCH_TIMEOUT_MS are positive numbers",
  );
const settlePauseMs = 2000;

const stack = await startQrisStack();
const backends = realBackends();
const benchRun = randomBytes(4).toString("hex");
// Accepts OTLP/HTTP exports as a collector would and throws them away: what is measured is the
// cost to the router of making and sending its spans.
const otlpSink = await startOtlpReceiver({ keep: false });
const traced = { OTEL_EXPORTER_OTLP_ENDPOINT: otlpSink.url };

// BENCH_CPU_PROF=<folder>: the bench's own routers write a V8 CPU profile there when they stop
// (node --cpu-prof), to find where a payment's router time goes.
const cpuProfileDir = process.env.BENCH_CPU_PROF;
const profiling =
  cpuProfileDir === undefined ? {} : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${cpuProfileDir}` };

/** A router of the bench's own in front of the stack's adapter, on the backends `env` names. */
function startBenchRouter(env: Record<string, string>) {
  return startService<{ grpc: string; http: string }>("services/router/src/main.ts", {
    ...profiling,
    DATABASE_URL: "",
    REDIS_URL: "",
    // Events go to the in-process publisher: the outbox is still written and relayed, and the
    // shared broker is left alone.
    AMQP_URL: "",
    PAYMESH_DATA_DIR: "",
    ...env,
    PAYMESH_ROUTER_CONFIG: JSON.stringify({
      grpcPort: 0,
      httpPort: 0,
      callers: { bench: TEST_TOKEN },
      adapters: { qris: { address: stack.adapterAddress } },
      routes: { qris: ["qris"] },
    }),
  });
}
// The stack's router is the untraced embedded one; this one differs only by exporting its spans.
// The latency mode measures untraced paths only, so it starts no traced router.
const tracedRouter = openLoop ? undefined : await startBenchRouter(traced);
// A second router on the real backends, when this machine has them (CI and the dev machine do),
// untraced and traced, each in its own schema and key prefix.
const durableEnv = (label: string) => ({
  DATABASE_URL: backends?.databaseUrl ?? "",
  PAYMESH_KEK: TEST_KEK,
  REDIS_URL: backends?.redisUrl ?? "",
  PAYMESH_DB_SCHEMA: `paymesh_bench_${benchRun}_${label}`,
  PAYMESH_IDEMPOTENCY_PREFIX: `paymesh:bench:${benchRun}:${label}:`,
});
const durableRouter = backends === undefined ? undefined : await startBenchRouter(durableEnv("plain"));
const durableTracedRouter =
  backends === undefined || openLoop
    ? undefined
    : await startBenchRouter({ ...durableEnv("traced"), ...traced });
const forwarder = await startService<{ address: string }>("test/bench/forwarder.ts", {
  FORWARD_TO: stack.adapterAddress,
});
const adapter = createGrpcClient(adapterv1.ProviderAdapter, stack.adapterAddress);
const viaForwarder = createGrpcClient(adapterv1.ProviderAdapter, forwarder.ready.address);
const auth = { metadata: { authorization: `Bearer ${TEST_TOKEN}` } };
const stackRouter = stack.processes.find((p) => (p.ready as { service?: string }).service === "router");
const routerPid = stackRouter?.child.pid;
const routerHttp = (stackRouter?.ready as { http?: string } | undefined)?.http;
const clients: Array<{ close(): void }> = [adapter, viaForwarder];

const run = randomUUID().slice(0, 8);
/** The closed loop's deadline; the open loop sets each call's from its scheduled start. */
const deadline = (): Date => new Date(Date.now() + 30_000);
const paymentId = (): string => `pay_${randomUUID().replaceAll("-", "").slice(0, 26)}`;
const adapterRequest = () => ({
  paymentId: paymentId(),
  amount: { currency: "IDR", minorUnits: 25_000_00n },
  method: { case: "qris" as const, value: {} },
});
const routerRequest = (i: number) => ({
  idempotencyKey: `bench-${run}-${i}-${randomUUID()}`,
  amount: { currency: "IDR", minorUnits: 25_000_00n },
  method: { case: "qris" as const, value: {} },
});

/**
 * One measured path; `pid` is the router process whose CPU time the path costs, `untraced` the
 * path a traced router is compared with.
 */
interface BenchPath {
  name: string;
  call: (i: number, deadline: Date) => Promise<unknown>;
  pid?: number | undefined;
  /** The router's /metrics, read around each fixed-rate run for its event-loop delay. */
  metricsUrl?: string | undefined;
  untraced?: BenchPath;
}
const paths: BenchPath[] = [
  {
    name: "direct to adapter",
    call: (_, deadline) => adapter.createPayment(adapterRequest(), { deadline }),
  },
  {
    name: "bare grpc-js forwarder",
    call: (_, deadline) => viaForwarder.createPayment(adapterRequest(), { deadline }),
  },
];
/** Adds the path through the router at `address` (process `pid`) and returns it. */
function routerPath(
  name: string,
  address: string,
  pid: number | undefined,
  http: string | undefined,
  untraced?: BenchPath,
): BenchPath {
  const client = createGrpcClient(PaymentService, address, auth);
  clients.push(client);
  const path: BenchPath = {
    name,
    call: (i, deadline) => client.createPayment(routerRequest(i), { deadline }),
    pid,
    metricsUrl: http === undefined ? undefined : `${http}/metrics`,
    ...(untraced === undefined ? {} : { untraced }),
  };
  paths.push(path);
  return path;
}
const embedded = routerPath(
  "router (embedded: PGlite + in-memory idempotency)",
  stack.routerGrpc,
  routerPid,
  routerHttp,
);
if (tracedRouter !== undefined)
  routerPath(
    "router (embedded), tracing exported",
    tracedRouter.ready.grpc,
    tracedRouter.child.pid,
    tracedRouter.ready.http,
    embedded,
  );
if (durableRouter !== undefined) {
  const durable = routerPath(
    "router (Redis + Postgres)",
    durableRouter.ready.grpc,
    durableRouter.child.pid,
    durableRouter.ready.http,
  );
  if (durableTracedRouter !== undefined)
    routerPath(
      "router (Redis + Postgres), tracing exported",
      durableTracedRouter.ready.grpc,
      durableTracedRouter.child.pid,
      durableTracedRouter.ready.http,
      durable,
    );
}

/** Latency at each fixed rate, every path in turn at one rate before the next rate. */
async function measureAtFixedRates(): Promise<void> {
  const results = new Map<BenchPath, OpenLoopResult[]>(paths.map((path) => [path, []]));
  const loopDelays: string[] = [];
  for (const rate of rates) {
    for (const path of paths) {
      // prom-client resets its event-loop delay histogram on every scrape: this read starts the window.
      if (path.metricsUrl !== undefined) await eventLoopDelay(path.metricsUrl);
      results.get(path)?.push(await runOpenLoop(path.call, rate, secondsPerRate, openLoopTimeoutMs));
      if (path.metricsUrl !== undefined) {
        const delay = await eventLoopDelay(path.metricsUrl);
        loopDelays.push(`| ${rate} | ${path.name} | ${delay.p50} | ${delay.p99} | ${delay.max} |`);
      }
      // An overloaded router goes on with work its callers gave up on; let it finish before the next run.
      await sleep(settlePauseMs);
    }
  }
  console.log(
    `CreatePayment at fixed rates, QRIS adapter + SNAP simulator, ${secondsPerRate} s per rate and path, timeout ${openLoopTimeoutMs} ms, node ${process.version}`,
  );
  printLatencyTables(
    paths.map((path) => ({
      name: path.name,
      results: results.get(path) ?? [],
      isRouter: path.pid !== undefined,
    })),
    paths[1]?.name ?? "",
  );
  console.log(
    "\nThe router's event-loop delay during each run (perf_hooks.monitorEventLoopDelay via prom-client):",
  );
  console.log("| req/s offered | path | p50 ms | p99 ms | max ms |");
  console.log("|---:|---|---:|---:|---:|");
  for (const line of loopDelays) console.log(line);
}

/** The router's event-loop delay since its previous scrape, in ms, from its /metrics. */
async function eventLoopDelay(metricsUrl: string): Promise<{ p50: string; p99: string; max: string }> {
  const text = await (await fetch(metricsUrl)).text();
  const read = (name: string) => {
    const value = new RegExp(`^nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(
      text,
    )?.[1];
    return value === undefined ? "?" : (Number(value) * 1000).toFixed(1);
  };
  return { p50: read("p50"), p99: read("p99"), max: read("max") };
}

try {
  // warm up JITs, channels, pools
  for (const path of paths) await runLoad((i) => path.call(i, deadline()), 200, concurrency);
  if (openLoop) {
    await measureAtFixedRates();
  } else {
    await measureThroughput();
  }
  if (durableRouter === undefined)
    console.log("(DATABASE_URL and REDIS_URL not set: the Redis + Postgres paths were not measured)");
} finally {
  for (const client of clients) client.close();
  await tracedRouter?.stop();
  await durableRouter?.stop();
  await durableTracedRouter?.stop();
  if (backends !== undefined) {
    for (const label of ["plain", "traced"]) {
      await dropSchema(backends.databaseUrl, `paymesh_bench_${benchRun}_${label}`);
      await deleteKeys(backends.redisUrl, `paymesh:bench:${benchRun}:${label}:`);
    }
  }
  await otlpSink.close();
  await forwarder.stop();
  await stack.stop();
}

/** Closed-loop throughput: rounds of a fixed count at a fixed concurrency, interleaved across paths. */
async function measureThroughput(): Promise<void> {
  const results = new Map<BenchPath, LoadResult[]>(paths.map((path) => [path, []]));
  const cpuMs = new Map<BenchPath, number>(paths.map((path) => [path, 0]));
  for (let round = 0; round < rounds; round++) {
    for (const path of paths) {
      const cpuBefore = path.pid === undefined ? 0 : processCpuMs(path.pid);
      results.get(path)?.push(await runLoad((i) => path.call(i, deadline()), requestsPerRound, concurrency));
      if (path.pid !== undefined)
        cpuMs.set(path, (cpuMs.get(path) ?? 0) + processCpuMs(path.pid) - cpuBefore);
    }
  }
  const summary = paths.map((path) => {
    const merged = merge(results.get(path) ?? []);
    return {
      name: path.name,
      requests: merged.requests,
      errors: merged.errors,
      throughput: merged.requests / merged.seconds,
      p50: quantile(merged.latenciesMs, 0.5),
      p99: quantile(merged.latenciesMs, 0.99),
      cpuPerPayment: path.pid === undefined ? undefined : (cpuMs.get(path) ?? 0) / merged.requests,
    };
  });
  const direct = summary[0];
  const floor = summary[1];
  const ratio = (value: number, base: number | undefined): string => decimal(value / (base ?? Number.NaN), 2);
  console.log(
    `CreatePayment, QRIS adapter + SNAP simulator, ${rounds} rounds x ${requestsPerRound} requests, concurrency ${concurrency}, node ${process.version}`,
  );
  console.log(
    "| path | requests | errors | req/s | p50 ms | p99 ms | req/s ÷ direct | req/s ÷ forwarder | p50 ÷ forwarder | router CPU ms/payment |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const row of summary) {
    console.log(
      `| ${row.name} | ${row.requests} | ${row.errors} | ${decimal(row.throughput, 0)} | ${decimal(row.p50, 2)} | ${decimal(row.p99, 2)} | ${ratio(row.throughput, direct?.throughput)} | ${ratio(row.throughput, floor?.throughput)} | ${ratio(row.p50, floor?.p50)} | ${row.cpuPerPayment === undefined ? "" : decimal(row.cpuPerPayment, 3)} |`,
    );
  }
  for (const [index, path] of paths.entries()) {
    const untraced = summary[paths.indexOf(path.untraced ?? path)];
    const row = summary[index];
    if (path.untraced === undefined || untraced === undefined || row === undefined) continue;
    const cpu =
      row.cpuPerPayment === undefined || untraced.cpuPerPayment === undefined
        ? ""
        : `, router CPU per payment ${decimal((row.cpuPerPayment / untraced.cpuPerPayment - 1) * 100, 1)}%`;
    console.log(
      `tracing exported, ${path.untraced.name}: req/s ${decimal((row.throughput / untraced.throughput - 1) * 100, 1)}%, p50 ${decimal((row.p50 / untraced.p50 - 1) * 100, 1)}%${cpu}`,
    );
  }
  console.log(`(${otlpSink.exports()} OTLP export requests received and discarded)`);
}
