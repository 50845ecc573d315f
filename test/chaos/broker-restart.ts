// `pnpm -F @paymesh/test broker-restart`: a drill run by hand, never in CI, because it stops the
// machine's real RabbitMQ (AMQP_URL) for everyone using it. One router on that broker takes
// BROKER_PAYMENTS (default 300) QRIS payments, each paid at the simulator, and a third of the way
// in the broker application is stopped (`rabbitmqctl stop_app`) for BROKER_OUTAGE_MS (default 5000)
// and started again while payments keep coming. It proves that no webhook is lost (every payment
// ends SUCCEEDED: what the router refused with 503 while its work queue was away, the simulator
// delivers again) and that no payment event is lost (a queue bound to the events exchange before
// the first payment holds pending, requires_action and succeeded for every payment).
// DATABASE_URL puts the store in a Postgres schema of its own, dropped at the end, and lets the
// drill also check the router's outbox rows; without it the router uses embedded PGlite.
// Prints a report; exits 1 when a payment did not succeed, an event is missing or unexpected, or
// the DLQ is not empty, 2 on bad settings. Needs the right to run rabbitmqctl (root).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { runProcess } from "@paymesh/test-kit/process";
import { waitFor } from "@paymesh/test-kit/wait-for";
import { connect } from "amqplib";
import { dropSchema, TEST_KEK } from "../support/backends.ts";

import {
  type AdapterProcess,
  type RouterProcess,
  type SimulatorProcess,
  startQrisAdapter,
  startQrisSimulator,
} from "../support/mesh-processes.ts";
import { type PlainPayment, plainPaymentClient } from "../support/plain-client.ts";
import { simulatorControl, TEST_TOKEN } from "../support/qris-stack.ts";
import { startService } from "../support/start-process.ts";

function log(line: string): void {
  process.stderr.write(`broker-restart: ${line}\n`);
}

function settingError(message: string): never {
  log(message);
  process.exit(2);
}

function integerSetting(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    settingError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

const amqpUrl = process.env.AMQP_URL ?? "";
if (amqpUrl === "") settingError("AMQP_URL is required: the drill restarts that broker");
const paymentCount = integerSetting("BROKER_PAYMENTS", 300, 3, 100_000);
const outageMs = integerSetting("BROKER_OUTAGE_MS", 5_000, 0, 10 * 60_000);
const databaseUrl = process.env.DATABASE_URL || undefined;
const CONCURRENCY = 8;
const SUCCEEDED_TIMEOUT_MS = 180_000;
const EVENTS_TIMEOUT_MS = 60_000;
/** The router's webhook retries: short, so a job that failed during the outage is retried soon after. */
const RETRY_DELAYS_MS = [500, 1_000, 2_000];
/** One event per status change of a QRIS payment paid by its customer. */
const EXPECTED_KEYS = ["qris.pending", "qris.requires_action", "qris.succeeded"];

const run = randomBytes(4).toString("hex");
const prefix = `paymesh.drill.${run}.`;
const schema = `paymesh_drill_${run}`;
// The names the router derives from PAYMESH_AMQP_PREFIX (router-backends.ts, rabbit-topology.ts).
const workQueue = `${prefix}paymesh.webhooks`;
const exchange = `${prefix}payments.events`;
const observerQueue = `${prefix}observer`;
const brokerQueues = [
  workQueue,
  ...RETRY_DELAYS_MS.map((ms) => `${workQueue}.retry.${ms}ms`),
  `${workQueue}.dlq`,
  observerQueue,
];

/** One payment of the drill, as the caller saw it. */
interface DrillPayment {
  key: string;
  /** When its CreatePayment was first sent. */
  startedAt?: number;
  id?: string;
  /** CreatePayment calls that failed (retried with the same idempotency key). */
  createFailures: number;
  createError?: string;
  /** When /sim/pay answered, and the HTTP status of the notification's first delivery. */
  paidAt?: number;
  notified?: number | null;
  payError?: string;
  status?: string;
}

/** The broker outage, as wall-clock times (ms since the epoch). */
interface Outage {
  stopRequestedAt?: number;
  stoppedAt?: number;
  startRequestedAt?: number;
  startedAt?: number;
  error?: string;
}

/** One event as the observer queue delivered it, by event id. */
interface ReceivedEvent {
  paymentId: string;
  routingKey: string;
  deliveries: number;
}

/** What the events audit found. */
interface EventAudit {
  expected: number;
  deliveries: number;
  distinct: number;
  duplicates: number;
  missing: string[];
  unexpected: string[];
  /** With Postgres: the router's outbox rows for the run, checked against what arrived. */
  outbox?: { rows: number; unpublished: number; notReceived: string[] };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `work` over `items`, at most `concurrency` at a time. */
async function forEachPooled<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const item = items[next++];
        if (item === undefined) return;
        await work(item);
      }
    }),
  );
}

/** Runs `rabbitmqctl <args>`; resolves with its stdout, rejects with its output when it fails. */
async function rabbitmqctl(args: string[]): Promise<string> {
  const result = await runProcess({ command: "rabbitmqctl", args }, { timeoutMs: 120_000 });
  if (result.code !== 0) {
    throw new Error(
      `rabbitmqctl ${args.join(" ")} ended with ${result.code}: ${result.stderr || result.stdout}`,
    );
  }
  return result.stdout;
}

/** True while a vitest run is going on; stopping the broker under it would fail someone's tests. */
function vitestRunning(): boolean {
  const found = spawnSync("pgrep", ["-f", "vitest"], { stdio: "ignore" });
  return found.error === undefined && found.status === 0;
}

async function waitForNoVitest(): Promise<void> {
  let announced = false;
  while (vitestRunning()) {
    if (!announced) log("a vitest run is using the broker; waiting for it to end");
    announced = true;
    await sleep(2_000);
  }
}

// True from the moment stop_app is asked for until start_app succeeded: cleanup starts it again.
let brokerStopped = false;

/**
 * Stops the broker application for the outage and starts it again, whatever happens meanwhile.
 * `onDown` is called once stop_app has returned (or failed).
 */
async function brokerOutage(outage: Outage, onDown: () => void): Promise<void> {
  await waitForNoVitest();
  outage.stopRequestedAt = Date.now();
  brokerStopped = true;
  log("rabbitmqctl stop_app");
  try {
    await rabbitmqctl(["stop_app"]);
    outage.stoppedAt = Date.now();
    onDown();
    await sleep(outageMs); // the outage itself: a deliberate duration, not a wait for an outcome
  } finally {
    onDown();
    outage.startRequestedAt = Date.now();
    log("rabbitmqctl start_app");
    await rabbitmqctl(["start_app"]);
    brokerStopped = false;
    outage.startedAt = Date.now();
  }
}

/** Declares the events exchange and a durable queue bound to all of it, before any payment. */
async function declareObserver(): Promise<void> {
  const connection = await connect(amqpUrl);
  try {
    const channel = await connection.createChannel();
    await channel.assertExchange(exchange, "topic", { durable: true });
    await channel.assertQueue(observerQueue, { durable: true });
    await channel.bindQueue(observerQueue, exchange, "#");
  } finally {
    await connection.close();
  }
}

/** Reads the observer queue until every expected event arrived and the queue is empty, or the timeout. */
async function readObserver(isComplete: (received: ReadonlyMap<string, ReceivedEvent>) => boolean) {
  const received = new Map<string, ReceivedEvent>();
  let deliveries = 0;
  const connection = await connect(amqpUrl);
  try {
    const channel = await connection.createChannel();
    await channel.prefetch(500);
    await channel.consume(observerQueue, (message) => {
      if (message === null) return;
      deliveries += 1;
      const raw: unknown = message.properties.messageId;
      const id = typeof raw === "string" ? raw : "";
      const seen = received.get(id);
      if (seen !== undefined) seen.deliveries += 1;
      else
        received.set(id, {
          paymentId: id.slice(0, Math.max(0, id.lastIndexOf("/"))),
          routingKey: message.fields.routingKey,
          deliveries: 1,
        });
      channel.ack(message);
    });
    await waitFor(
      async () =>
        isComplete(received) && (await channel.checkQueue(observerQueue)).messageCount === 0
          ? true
          : undefined,
      EVENTS_TIMEOUT_MS,
      "every expected event on the observer queue",
    ).catch((error: unknown) => log(describe(error)));
  } finally {
    await connection.close();
  }
  return { received, deliveries };
}

/** The event ids the router expects to be missing from `received`: a "<payment> <routing key>" list. */
function missingEvents(
  paymentIds: readonly string[],
  received: ReadonlyMap<string, ReceivedEvent>,
): string[] {
  const keysByPayment = new Map<string, Set<string>>();
  for (const event of received.values()) {
    const keys = keysByPayment.get(event.paymentId) ?? new Set<string>();
    keys.add(event.routingKey);
    keysByPayment.set(event.paymentId, keys);
  }
  return paymentIds.flatMap((id) =>
    EXPECTED_KEYS.filter((key) => keysByPayment.get(id)?.has(key) !== true).map((key) => `${id} ${key}`),
  );
}

/** Events that are not one of the three per payment: another payment, another status, or a second id. */
function unexpectedEvents(
  paymentIds: readonly string[],
  received: ReadonlyMap<string, ReceivedEvent>,
): string[] {
  const ours = new Set(paymentIds);
  const idsByKey = new Map<string, string[]>();
  const unexpected: string[] = [];
  for (const [id, event] of received) {
    if (!ours.has(event.paymentId) || !EXPECTED_KEYS.includes(event.routingKey)) {
      unexpected.push(`${id} ${event.routingKey}`);
      continue;
    }
    const slot = `${event.paymentId} ${event.routingKey}`;
    idsByKey.set(slot, [...(idsByKey.get(slot) ?? []), id]);
  }
  for (const [slot, ids] of idsByKey) {
    if (ids.length > 1) unexpected.push(`${slot}: ${ids.length} event ids (${ids.join(", ")})`);
  }
  return unexpected;
}

/** With Postgres, the router's own record of the events: its outbox rows, published or not. */
async function readOutbox(url: string, received: ReadonlyMap<string, ReceivedEvent>) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ event_id: string; published: boolean }>(
      `SELECT event_id, published_at IS NOT NULL AS published FROM "${schema}".payment_outbox`,
    );
    return {
      rows: rows.length,
      unpublished: rows.filter((row) => !row.published).length,
      notReceived: rows.filter((row) => !received.has(row.event_id)).map((row) => row.event_id),
    };
  } finally {
    await client.end();
  }
}

/** Prometheus text as (name, labels, value) samples. */
function parseMetrics(text: string) {
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined) continue;
    const labels: Record<string, string> = {};
    for (const label of match[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      if (label[1] !== undefined && label[2] !== undefined) labels[label[1]] = label[2];
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

type Samples = ReturnType<typeof parseMetrics>;

function metricSum(samples: Samples, name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const clock = (ms: number | undefined): string =>
  ms === undefined ? "-" : new Date(ms).toISOString().slice(11, 23);
/** "6.2 s" from milliseconds, rounded to a tenth, in integer arithmetic. */
const seconds = (ms: number): string => {
  const tenths = Math.round(ms / 100);
  return `${Math.trunc(tenths / 10)}.${tenths % 10} s`;
};

let simulator: SimulatorProcess | undefined;
let adapter: AdapterProcess | undefined;
let router: RouterProcess | undefined;
let client: ReturnType<typeof plainPaymentClient> | undefined;
let cleaning: Promise<void> | undefined;

/** Broker back up, processes stopped, the run's queues, exchange and schema gone. Runs once. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    client?.close();
    if (brokerStopped) {
      log("the broker is still stopped: rabbitmqctl start_app");
      await rabbitmqctl(["start_app"]).then(
        () => {
          brokerStopped = false;
        },
        (error: unknown) => log(`start_app failed, start RabbitMQ by hand: ${describe(error)}`),
      );
    }
    // The router first: it would declare its queues again on reconnecting.
    for (const service of [router, adapter, simulator]) {
      await service?.stop().catch((error: unknown) => log(`stopping a process: ${describe(error)}`));
    }
    await deleteBrokerObjects().catch((error: unknown) =>
      log(`deleting ${prefix}* on the broker failed, delete them by hand: ${describe(error)}`),
    );
    if (databaseUrl !== undefined) {
      await dropSchema(databaseUrl, schema).catch((error: unknown) =>
        log(`dropping schema ${schema} failed: ${describe(error)}`),
      );
    }
  })();
  return cleaning;
}

/** Deletes the run's queues and exchange, then anything else the broker still lists under the prefix. */
async function deleteBrokerObjects(): Promise<void> {
  const listed = async (kind: "list_queues" | "list_exchanges") =>
    (await rabbitmqctl([kind, "--quiet", "--no-table-headers", "name"]))
      .split("\n")
      .map((line) => line.trim())
      .filter((name) => name.startsWith(prefix));
  const queues = new Set([...brokerQueues, ...(await listed("list_queues"))]);
  const exchanges = new Set([exchange, ...(await listed("list_exchanges"))]);
  const connection = await connect(amqpUrl);
  try {
    const channel = await connection.createChannel();
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const name of exchanges) await channel.deleteExchange(name);
  } finally {
    await connection.close();
  }
  const left = [...(await listed("list_queues")), ...(await listed("list_exchanges"))];
  if (left.length > 0) log(`still on the broker: ${left.join(", ")}`);
}

/** Keeps the router's JSON log lines (stderr) of a failed run, for the evidence. */
function keepRouterLog(): void {
  const stderr = router?.stderr() ?? "";
  if (stderr === "") return;
  const file = join(tmpdir(), `paymesh-broker-restart-${run}-router.log`);
  writeFileSync(file, stderr);
  log(`the router's log is in ${file}`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`got ${signal}; restoring the broker and stopping every process the drill started`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** The drill; resolves with the report's lines and whether it passed. */
async function drill(): Promise<{ lines: string[]; failures: string[] }> {
  const startedAt = Date.now();
  await waitForNoVitest();
  log(`run ${run}: ${paymentCount} payments, outage ${outageMs} ms, prefix ${prefix}`);

  // Bound before the router publishes anything: the exchange drops what no queue is bound for.
  await declareObserver();
  simulator = await startQrisSimulator();
  adapter = await startQrisAdapter(simulator.ready.url);
  router = await startService<RouterProcess["ready"]>("services/router/src/main.ts", {
    AMQP_URL: amqpUrl,
    PAYMESH_AMQP_PREFIX: prefix,
    REDIS_URL: "",
    PAYMESH_DATA_DIR: "",
    DATABASE_URL: databaseUrl ?? "",
    PAYMESH_KEK: TEST_KEK,
    ...(databaseUrl === undefined ? {} : { PAYMESH_DB_SCHEMA: schema }),
    PAYMESH_ROUTER_CONFIG: JSON.stringify({
      grpcPort: 0,
      httpPort: 0,
      callers: { drill: TEST_TOKEN },
      adapters: { qris: { address: adapter.ready.address } },
      routes: { qris: ["qris"] },
      webhooks: { retryDelaysMs: RETRY_DELAYS_MS, maxAttempts: 10 },
    }),
  });
  const routerHttp = router.ready.http;
  const simulatorUrl = simulator.ready.url;
  // The simulator's notification retries (1 s, 5 s, 30 s after the first attempt) are fixed at
  // startup (options.ts); /sim/config cannot change them. They outlast an outage of a few seconds.
  await simulatorControl(simulatorUrl, "/sim/config", { notifyUrl: `${routerHttp}/webhooks/qris` });
  const payClient = plainPaymentClient(router.ready.grpc, TEST_TOKEN);
  client = payClient;

  // Drive the payments; a third of the way in, the outage starts in the background.
  const payments: DrillPayment[] = Array.from({ length: paymentCount }, (_, i) => ({
    key: `drill-${run}-${i}`,
    createFailures: 0,
  }));
  const outage: Outage = {};
  let outageDone: Promise<void> | undefined;
  // From the outage's start until stop_app returned, new payments wait: in the half second or more
  // rabbitmqctl takes, the rest of the run could finish with nothing left to flow through the outage.
  let brokerDown: Promise<void> = Promise.resolve();
  let finished = 0;
  await forEachPooled(payments, CONCURRENCY, async (payment) => {
    await brokerDown;
    payment.startedAt = Date.now();
    for (let attempt = 1; attempt <= 3 && payment.id === undefined; attempt++) {
      try {
        const { payment: created } = await payClient.call<{ payment: PlainPayment }>("CreatePayment", {
          idempotencyKey: payment.key,
          amount: { currency: "IDR", minorUnits: "2500000" },
          qris: {},
        });
        payment.id = created.id;
      } catch (error) {
        payment.createFailures += 1;
        payment.createError = describe(error);
      }
    }
    if (payment.id !== undefined) {
      try {
        const paid = await simulatorControl<{ notified: number | null }>(simulatorUrl, "/sim/pay", {
          partnerReferenceNo: payment.id,
        });
        payment.paidAt = Date.now();
        payment.notified = paid.notified;
      } catch (error) {
        payment.payError = describe(error);
      }
    }
    finished += 1;
    if (outageDone === undefined && finished >= Math.ceil(paymentCount / 3)) {
      let markDown = (): void => {};
      brokerDown = new Promise((resolve) => {
        markDown = resolve;
      });
      outageDone = brokerOutage(outage, markDown).catch((error: unknown) => {
        outage.error = describe(error);
        log(`the outage failed: ${outage.error}`);
      });
    }
  });
  log("every payment created and paid; waiting for the outage to end");
  await outageDone;

  // Every payment SUCCEEDED, as the router tells it.
  const created = payments.filter((p): p is DrillPayment & { id: string } => p.id !== undefined);
  const waiting = new Set(created);
  log(`waiting up to ${seconds(SUCCEEDED_TIMEOUT_MS)} for ${waiting.size} payments to be SUCCEEDED`);
  await waitFor(
    async () => {
      await forEachPooled([...waiting], 16, async (payment) => {
        const { payment: current } = await payClient.call<{ payment: PlainPayment }>("GetPayment", {
          paymentId: payment.id,
        });
        payment.status = current.status;
        if (current.status === "PAYMENT_STATUS_SUCCEEDED") waiting.delete(payment);
      });
      return waiting.size === 0 ? true : undefined;
    },
    SUCCEEDED_TIMEOUT_MS,
    "every payment to be SUCCEEDED",
  ).catch((error: unknown) => log(describe(error)));

  // Every event, on the observer queue bound before the first payment.
  const ids = created.map((p) => p.id);
  log("reading the observer queue");
  const { received, deliveries } = await readObserver((got) => missingEvents(ids, got).length === 0);
  const events: EventAudit = {
    expected: ids.length * EXPECTED_KEYS.length,
    deliveries,
    distinct: received.size,
    duplicates: deliveries - received.size,
    missing: missingEvents(ids, received),
    unexpected: unexpectedEvents(ids, received),
  };
  if (databaseUrl !== undefined) events.outbox = await readOutbox(databaseUrl, received);

  // What the router and the simulator counted.
  const samples = parseMetrics(await (await fetch(`${routerHttp}/metrics`)).text());
  const webhookAnswers = new Map<string, number>();
  for (const s of samples.filter((s) => s.name === "paymesh_webhooks_total")) {
    const result = s.labels.result ?? "?";
    webhookAnswers.set(result, (webhookAnswers.get(result) ?? 0) + s.value);
  }
  // The work queue may still be reconnecting (its backoff reaches 5 s); until then /admin/dlq is 500.
  const { deadLetters } = await waitFor(
    () => fetchJson<{ deadLetters: unknown[] }>(`${routerHttp}/admin/dlq?limit=500`),
    30_000,
    "GET /admin/dlq to answer",
  );
  const stats = await simulatorControl<{ notifications: number; notificationsDelivered: number }>(
    simulatorUrl,
    "/sim/stats",
  );
  const { deliveries: attempts } = await simulatorControl<{
    deliveries: Array<{ partnerReferenceNo: string; status?: number }>;
  }>(simulatorUrl, "/sim/notifications");
  const delivered = new Set(
    attempts
      .filter((a) => a.status !== undefined && a.status >= 200 && a.status < 300)
      .map((a) => a.partnerReferenceNo),
  );
  const undelivered = ids.filter((id) => !delivered.has(id));

  // The report.
  const succeeded = created.filter((p) => p.status === "PAYMENT_STATUS_SUCCEEDED");
  const notSucceeded = payments.filter((p) => p.status !== "PAYMENT_STATUS_SUCCEEDED");
  const paid = created.filter((p) => p.paidAt !== undefined);
  const downFrom = outage.stopRequestedAt;
  const downTo = outage.startedAt;
  const startedBy = (from: number, to: number) =>
    payments.filter((p) => p.startedAt !== undefined && p.startedAt >= from && p.startedAt < to).length;
  const during =
    outage.stoppedAt === undefined || downTo === undefined ? 0 : startedBy(outage.stoppedAt, downTo);
  const before = startedBy(0, downFrom ?? Number.POSITIVE_INFINITY);
  const after = downTo === undefined ? 0 : startedBy(downTo, Number.POSITIVE_INFINITY);
  const firstAnswers = new Map<string, number>();
  for (const p of paid) {
    const answer = String(p.notified ?? "none");
    firstAnswers.set(answer, (firstAnswers.get(answer) ?? 0) + 1);
  }
  const counted = (map: ReadonlyMap<string, number>) =>
    [...map]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => `${key} x${value}`)
      .join(", ") || "none";
  const outboxMissing = events.outbox?.notReceived.length ?? 0;
  const missingCount = events.missing.length + outboxMissing;

  const failures: string[] = [];
  if (notSucceeded.length > 0) failures.push(`${notSucceeded.length} payments not SUCCEEDED`);
  if (missingCount > 0) failures.push(`${missingCount} events missing`);
  if (events.unexpected.length > 0) failures.push(`${events.unexpected.length} unexpected events`);
  if (deadLetters.length > 0) failures.push(`${deadLetters.length} dead letters`);
  if (outage.error !== undefined) failures.push(`the outage failed: ${outage.error}`);

  const lines = [
    `broker-restart drill ${run} (store ${databaseUrl === undefined ? "pglite" : `postgres schema ${schema}`}, prefix ${prefix})`,
    `payments        ${paymentCount} planned, ${created.length} created, ${paid.length} paid, ${succeeded.length} SUCCEEDED; CreatePayment failures ${payments.reduce((sum, p) => sum + p.createFailures, 0)}`,
    `outage          stop_app ${clock(outage.stopRequestedAt)} (done ${clock(outage.stoppedAt)}), start_app ${clock(outage.startRequestedAt)} (done ${clock(outage.startedAt)}); down ${downFrom === undefined || downTo === undefined ? "-" : seconds(downTo - downFrom)} (BROKER_OUTAGE_MS ${outageMs})`,
    `timing          payments started before stop_app ${before}, while the broker was down ${during}, after start_app ${after}`,
    `first notice    the router's answer to each payment's first notification: ${counted(firstAnswers)}`,
    `webhooks        router answers: ${counted(webhookAnswers)}; refused 503: ${webhookAnswers.get("503") ?? 0}`,
    `notifications   simulator attempts ${stats.notifications}, delivered ${stats.notificationsDelivered}, payments never delivered ${undelivered.length}`,
    `outbox          published ${metricSum(samples, "paymesh_outbox_events_total", { result: "published" })}, publish failures ${metricSum(samples, "paymesh_outbox_events_total", { result: "failed" })}`,
    `webhook jobs    failures ${metricSum(samples, "paymesh_webhook_job_failures_total")}; resolver resolved ${metricSum(samples, "paymesh_resolver_events_total", { kind: "resolved" })}`,
    `events          expected ${events.expected}, received ${events.deliveries} (distinct ${events.distinct}), duplicates ${events.duplicates}, missing ${events.missing.length}, unexpected ${events.unexpected.length}`,
    ...(events.outbox === undefined
      ? []
      : [
          `outbox rows     ${events.outbox.rows}, unpublished ${events.outbox.unpublished}, not received ${events.outbox.notReceived.length}`,
        ]),
    `DLQ             ${deadLetters.length}${deadLetters.length >= 500 ? "+" : ""}`,
    `elapsed         ${seconds(Date.now() - startedAt)}`,
    `verdict         ${failures.length === 0 ? "PASS: no payment, webhook or event lost" : `FAIL: ${failures.join("; ")}`}`,
  ];
  // Evidence, a few of each.
  const evidence = [
    ...notSucceeded
      .slice(0, 10)
      .map(
        (p) =>
          `  not SUCCEEDED: ${p.id ?? `(not created, ${p.createError ?? "?"})`} ${p.status ?? "-"}${p.payError === undefined ? "" : `; /sim/pay: ${p.payError}`}`,
      ),
    ...undelivered.slice(0, 10).map((id) => `  notification never delivered: ${id}`),
    ...events.missing.slice(0, 10).map((m) => `  missing event: ${m}`),
    ...(events.outbox?.notReceived.slice(0, 10).map((id) => `  outbox event not received: ${id}`) ?? []),
    ...events.unexpected.slice(0, 10).map((u) => `  unexpected event: ${u}`),
    ...deadLetters.slice(0, 5).map((d) => `  dead letter: ${JSON.stringify(d).slice(0, 300)}`),
  ];
  return { lines: [...lines, ...evidence], failures };
}

try {
  const { lines, failures } = await drill();
  process.stdout.write(`${lines.join("\n")}\n`);
  process.exitCode = failures.length === 0 ? 0 : 1;
  if (failures.length > 0) keepRouterLog();
} catch (error) {
  log(`the drill failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  keepRouterLog();
  process.exitCode = 1;
} finally {
  await cleanup();
}
