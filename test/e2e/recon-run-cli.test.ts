// `paymesh recon run` end to end: the real CLI process asks a reconciler (its gRPC port, operator
// tokens) to run a day now; the reconciler reads the VA adapter's report over gRPC from the Midtrans
// simulator, with discrepancies injected, and the CLI prints progress lines (stderr is not a
// terminal here) and the run's totals per class. Postgres when DATABASE_URL is set, else PGlite.
import { type AdapterHarness, newPaymentId, startAdapterHarness } from "@paymesh/adapter-kit/testing";
import { createMidtransClient, createMidtransVaProvider } from "@paymesh/adapter-va";
import { createVaSimulator, simulatorDefaults, type VaSimulator } from "@paymesh/adapter-va/sandbox";
import { PaymentStatus, VirtualAccountBank } from "@paymesh/proto";
import { createMemoryEventPublisher, createMemoryWorkQueue, type MemoryEventPublisher } from "@paymesh/queue";
import { type RunningReconciler, startReconcilerService } from "@paymesh/reconciler";
import {
  createPgliteSqlClient,
  createPgSqlClient,
  createSqlPaymentStore,
  type PaymentStore,
  readBigint,
  readText,
  type SqlClient,
} from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";
import { dropTestSchema, postgresUrlForTests, uniqueTestSchema } from "@paymesh/store/testing";
import { createLogger } from "@paymesh/telemetry";
import { createTestClock, startTcpProxy, type TcpProxy, waitFor } from "@paymesh/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPaymesh } from "../support/cli-process.ts";

const databaseUrl = postgresUrlForTests();
const OPERATOR_TOKEN = "ops-sari-0123456789abcdef0123";
const DAY = "2026-12-03";
const DAY_MS = 24 * 60 * 60 * 1000;
const MORNING = new Date("2026-12-03T03:00:00Z"); // 10:00 WIB on the day
const RUN_AT = new Date("2026-12-05T00:00:00Z"); // past the day's end plus the VA's T+1 lag

const clock = createTestClock(MORNING);
const fixtures = createPaymentFixtures();
const cleanups: Array<() => Promise<unknown>> = [];
let storeNow = MORNING;
let schema: string | undefined;
let sql: SqlClient;
let store: PaymentStore;
let va: AdapterHarness<VaSimulator>;
let proxy: TcpProxy;
let events: MemoryEventPublisher;
let reconciler: RunningReconciler;

/** A reconciler as one process would run it: its own database client on Postgres. */
async function startReconciler(
  operators: Record<string, string> = { sari: OPERATOR_TOKEN },
): Promise<RunningReconciler> {
  const own =
    databaseUrl === undefined || schema === undefined ? sql : createPgSqlClient({ databaseUrl, schema });
  if (own !== sql) cleanups.push(() => own.close());
  const queue = createMemoryWorkQueue({ name: "paymesh.recon", retryDelaysMs: [60_000], maxAttempts: 3 });
  cleanups.push(() => queue.close());
  const running = await startReconcilerService(
    { sql: own, queue, events },
    {
      adapters: {
        va: {
          address: proxy.address,
          provider: "midtrans",
          terms: {
            timeZone: "Asia/Jakarta",
            settlementLagMs: DAY_MS,
            fees: [{ currency: "IDR", flatMinor: 400_000n, taxPpm: 110_000 }],
          },
        },
      },
      lookBackDays: 1,
      intervalMs: 3_600_000,
      operators,
      clock: clock.now,
      log: createLogger({ service: "reconciler", level: "silent" }),
    },
  );
  cleanups.push(() => running.close());
  return running;
}

/** A VA payment of `rupiah` made through the adapter and paid in the simulator, recorded as the router would. */
async function payment(rupiah: bigint, status = PaymentStatus.SUCCEEDED): Promise<string> {
  const paymentId = newPaymentId();
  const amount = { currency: "IDR", minorUnits: rupiah * 100n };
  const created = await va.client.createPayment(
    { paymentId, amount, method: { case: "virtualAccount", value: { bank: VirtualAccountBank.BCA } } },
    { deadline: new Date(Date.now() + 10_000) },
  );
  if (status === PaymentStatus.SUCCEEDED) await va.simulator.pay(paymentId);
  if (status === PaymentStatus.EXPIRED) await va.simulator.expire(paymentId);
  storeNow = clock.now();
  await store.insert(
    fixtures.payment({
      id: paymentId,
      adapter: "va",
      providerReference: created.payment?.providerReference ?? "",
      amount,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    }),
  );
  await store.update(paymentId, 1, { status }, "webhook");
  clock.advance(60_000);
  return paymentId;
}

function paymesh(args: string[], options: { token?: string; address?: string } = {}) {
  return runPaymesh(["recon", "run", ...args], {
    PAYMESH_TOKEN: options.token ?? OPERATOR_TOKEN,
    PAYMESH_RECONCILER: options.address ?? reconciler.grpcAddress ?? "",
  });
}

/** The day's run row and its verdicts per class, as the store has them. */
async function storedRun() {
  const [run] = await sql.query(
    "SELECT id, status, attempts, line_count FROM recon_runs WHERE adapter = 'va' AND business_date = $1::date",
    [DAY],
  );
  const classes = await sql.query(
    `SELECT class, count(*)::int AS verdicts, count(*) FILTER (WHERE discrepancy)::int AS discrepancies
     FROM recon_verdicts WHERE run_id = $1 GROUP BY class ORDER BY class`,
    [run === undefined ? 0 : readBigint(run, "id")],
  );
  return {
    id: String(run?.id),
    status: run === undefined ? undefined : readText(run, "status"),
    attempts: Number(run?.attempts),
    lines: Number(run?.line_count),
    classes: classes.map((row) => [readText(row, "class"), Number(row.verdicts), Number(row.discrepancies)]),
  };
}

/** The CLASS table `recon run` printed, as [class, verdicts, discrepancies] sorted by class. */
function printedClasses(stdout: string): Array<[string, number, number]> {
  const lines = stdout.split("\n");
  const header = lines.findIndex((line) => /^CLASS\s+VERDICTS\s+DISCREPANCIES\s+OPEN/.test(line));
  return lines
    .slice(header + 1)
    .map((line) => /^([a-z_]+)\s+(\d+)\s+(\d+)\s+\d+/.exec(line))
    .flatMap((match) =>
      match === null
        ? []
        : [[match[1] ?? "", Number(match[2]), Number(match[3])] as [string, number, number]],
    )
    .sort((a, b) => a[0].localeCompare(b[0]));
}

beforeAll(async () => {
  if (databaseUrl !== undefined) {
    const own = uniqueTestSchema();
    schema = own;
    sql = createPgSqlClient({ databaseUrl, schema: own });
    cleanups.push(() => dropTestSchema(databaseUrl, own));
  } else {
    sql = await createPgliteSqlClient();
  }
  cleanups.push(() => sql.close());
  store = await createSqlPaymentStore({ sql, clock: () => storeNow });
  va = await startAdapterHarness(
    () => createVaSimulator({ clock: clock.now }),
    (simulator) =>
      createMidtransVaProvider({
        client: createMidtransClient({
          baseUrl: simulator.url,
          serverKey: simulatorDefaults.serverKey,
          clock: clock.now,
        }),
        serverKey: simulatorDefaults.serverKey,
        version: "test",
        clock: clock.now,
      }),
  );
  cleanups.push(() => va.close());
  proxy = await startTcpProxy(va.adapter.address);
  cleanups.push(() => proxy.close());
  events = createMemoryEventPublisher();
  reconciler = await startReconciler();
  // A reconciler without operators opens no port that could only refuse. (Started before the day
  // is due: its scheduler must not run the day the tests run by hand.)
  expect((await startReconciler({})).grpcAddress).toBeUndefined();

  const [missing, amount, fee, duplicate, refunded] = [
    await payment(10_000n),
    await payment(11_000n),
    await payment(12_000n),
    await payment(13_000n),
    await payment(14_000n),
  ];
  for (const rupiah of [20_000n, 21_000n, 22_000n]) await payment(rupiah);
  const expired = await payment(18_000n, PaymentStatus.EXPIRED);
  const answer = await fetch(`${va.simulator.url}/sim/settlement-report`, {
    method: "POST",
    body: JSON.stringify({
      date: DAY,
      discrepancies: [
        { class: "missing-line", target: missing },
        { class: "extra-line", amount: 5_000_000 },
        { class: "amount-changed", target: amount, delta: 100_000 },
        { class: "status-mismatch", target: expired },
        { class: "fee-changed", target: fee, delta: 50_000 },
        { class: "duplicate-line", target: duplicate },
        { class: "refund-without-record", target: refunded },
      ],
    }),
  });
  expect(answer.status).toBe(200);
  clock.set(RUN_AT);
}, 60_000);

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe(`paymesh recon run against a reconciler on ${databaseUrl ? "Postgres" : "PGlite"}`, () => {
  it("refuses a caller without an operator's token, and a day whose report is not complete yet", async () => {
    const stranger = await paymesh(["--adapter", "va", "--date", DAY], {
      token: "not-an-operator-token-0000",
    });
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toContain("paymesh: UNAUTHENTICATED: unknown bearer token");
    const early = await paymesh(["--adapter", "va", "--date", "2026-12-04"]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(
      /FAILED_PRECONDITION INVALID_FIELD field=business_date: business_date: 2026-12-04 is not due yet/,
    );
    const unknown = await paymesh(["--adapter", "qris", "--date", DAY]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'INVALID_ARGUMENT INVALID_FIELD field=adapter: adapter: "qris" is not one this reconciler runs (va)',
    );
    const noDate = await paymesh(["--adapter", "va"]);
    expect(noDate.code).toBe(2);
    expect(noDate.stderr).toContain("recon run: --date is required");
    // Nothing was run or created for the day.
    expect((await storedRun()).status).toBeUndefined();
  });

  it("runs the day now: progress lines, then the totals per class the verdict rows hold", async () => {
    const run = await paymesh(["--adapter", "va", "--date", DAY]);
    expect(run.code, run.stderr).toBe(0);
    const stored = await storedRun();
    expect(stored).toMatchObject({ status: "completed", attempts: 1 });
    // Progress on stderr, one plain line per step as stderr is not a terminal: the report's size is
    // known from its first page, so each line has the share read and the time left.
    expect(run.stderr).toMatch(
      new RegExp(
        `^reading the report: ${stored.lines} of ${stored.lines} lines \\(100%\\), [\\d,]+ lines/s, about 0 s left$`,
        "m",
      ),
    );
    expect(run.stderr).toMatch(new RegExp(`^matching ${stored.lines} lines against our payments$`, "m"));
    expect(run.stdout).toContain(`run ${stored.id}: va ${DAY}, completed after 1 attempt(s)`);
    expect(printedClasses(run.stdout)).toEqual(stored.classes);
    expect(stored.classes).toEqual([
      ["amount_mismatch", 1, 1],
      ["duplicate_settlement", 1, 1],
      ["fee_mismatch", 1, 1],
      // The first line of the duplicated payment, the refunded one's payment line, three plain ones
      // and the report's trailer.
      ["matched", 6, 0],
      ["missing_at_provider", 1, 1],
      ["missing_internal", 1, 1],
      ["status_mismatch", 1, 1],
      ["unrecorded_refund", 1, 1],
    ]);
    // Each discrepancy went to payments.recon, as the scheduled run's do.
    const sent = events.published().filter((event) => event.routingKey.startsWith("va."));
    expect(sent.map((event) => event.routingKey.slice(3)).sort()).toEqual(
      stored.classes.flatMap(([name, , discrepancies]) => Array(discrepancies).fill(name)),
    );
  });

  it("runs a finished day again idempotently: same verdicts, one more attempt, no duplicate rows", async () => {
    const before = await storedRun();
    const again = await paymesh(["--adapter", "va", "--date", DAY, "--json"]);
    expect(again.code, again.stderr).toBe(0);
    const printed = JSON.parse(again.stdout) as {
      runId: string;
      attempts: number;
      classes: Array<{ class: string }>;
    };
    expect(printed).toMatchObject({ runId: before.id, attempts: 2, status: "completed" });
    // --json prints the run only: no progress.
    expect(again.stderr).toBe("");
    const after = await storedRun();
    expect(after).toEqual({ ...before, attempts: 2 });
  });

  it("refuses a second run of the same day while one is in progress, and lets the first finish", async () => {
    // The adapter's answers are held: the first run holds the day, waiting for its report.
    proxy.stall("responses");
    const first = paymesh(["--adapter", "va", "--date", DAY]);
    await waitFor(() => (proxy.heldBytes > 0 ? true : undefined), 20_000, "the first run reading the report");
    const second = await paymesh(["--adapter", "va", "--date", DAY]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      /^paymesh: ABORTED RECON_RUN_IN_PROGRESS: the run of va for 2026-12-03 is in progress in this reconciler$/m,
    );
    if (databaseUrl !== undefined) {
      // Another reconciler process on the same database is refused by the run's advisory lock.
      const other = await startReconciler();
      const elsewhere = await paymesh(["--adapter", "va", "--date", DAY], {
        address: other.grpcAddress ?? "",
      });
      expect(elsewhere.code).toBe(1);
      expect(elsewhere.stderr).toMatch(
        /^paymesh: ABORTED RECON_RUN_IN_PROGRESS: the run of va for 2026-12-03 is in progress elsewhere$/m,
      );
    }
    proxy.restore();
    const finished = await first;
    expect(finished.code, finished.stderr).toBe(0);
    const stored = await storedRun();
    // The refused runs did nothing: one more attempt (the first's), the same verdicts.
    expect(stored).toMatchObject({ status: "completed", attempts: 3 });
    expect(printedClasses(finished.stdout)).toEqual(stored.classes);
  }, 60_000);
});
