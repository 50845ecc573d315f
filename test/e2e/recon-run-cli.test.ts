// `paymesh recon run` end to end: the real CLI process asks a reconciler (its gRPC port, operator
// tokens) to run a day now; the reconciler reads the VA adapter's report over gRPC from the Midtrans
// simulator, with discrepancies injected, and the CLI prints progress lines (stderr is not a
// terminal here) and the run's totals per class. Then the same service in the Connect protocol on
// the reconciler's HTTP port, as a Connect client and as raw bytes. Postgres when DATABASE_URL is
// set, else PGlite.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { type AdapterHarness, newPaymentId, startAdapterHarness } from "@paymesh/adapter-kit/testing";
import { createMidtransClient, createMidtransVaProvider } from "@paymesh/adapter-va";
import { createVaSimulator, simulatorDefaults, type VaSimulator } from "@paymesh/adapter-va/sandbox";
import { envelope, readEnvelopes, streamError } from "@paymesh/connect-kit/testing";
import { adminv1, ErrorInfoSchema, PaymentStatus, VirtualAccountBank } from "@paymesh/proto";
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
import { captureLogLines, createLogger } from "@paymesh/telemetry";
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
  log = createLogger({ service: "reconciler", level: "silent" }),
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
      log,
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

/** ReconciliationRunService through a Connect client (JSON unless `binary`) on the reconciler's HTTP port. */
function connectClient(token = OPERATOR_TOKEN, binary = false, baseUrl = reconciler.httpUrl) {
  return createClient(
    adminv1.ReconciliationRunService,
    createConnectTransport({
      baseUrl,
      httpVersion: "1.1",
      useBinaryFormat: binary,
      interceptors: [
        (next) => (request) => {
          request.header.set("authorization", `Bearer ${token}`);
          return next(request);
        },
      ],
    }),
  );
}

/** Every update of a run asked for over Connect, or the error it ended with (code, reason, field). */
async function connectRun(
  request: { adapter: string; businessDate: string },
  options: { token?: string; binary?: boolean; signal?: AbortSignal; baseUrl?: string } = {},
) {
  const updates: adminv1.RunReconciliationResponse[] = [];
  try {
    const client = connectClient(options.token, options.binary, options.baseUrl);
    const stream = client.runReconciliation(request, options.signal ? { signal: options.signal } : {});
    for await (const update of stream) updates.push(update);
    return { updates };
  } catch (error) {
    const failure = ConnectError.from(error);
    const [info] = failure.findDetails(ErrorInfoSchema);
    return {
      updates,
      error: {
        code: Code[failure.code],
        message: failure.rawMessage,
        reason: info?.reason,
        ...info?.metadata,
      },
    };
  }
}

/** The run's class totals a Run message carries, as storedRun() has them. */
const classesOf = (run: adminv1.Run | undefined) =>
  (run?.classes ?? [])
    .filter((total) => total.verdicts > 0n)
    .map((total) => [total.verdictClass, Number(total.verdicts), Number(total.discrepancies)])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe(`ReconciliationRunService in the Connect protocol on ${databaseUrl ? "Postgres" : "PGlite"}`, () => {
  it("runs the day: progress while it runs, then the run with the totals per class the store holds", async () => {
    const before = await storedRun();
    for (const binary of [false, true]) {
      const { updates, error } = await connectRun({ adapter: "va", businessDate: DAY }, { binary });
      expect(error).toBeUndefined();
      const last = updates.at(-1)?.update;
      expect(last?.case).toBe("run");
      const progress = updates.flatMap(({ update }) => (update.case === "progress" ? [update.value] : []));
      // The matching phase is always announced: a phase change is sent at once.
      expect(progress.map((step) => step.phase)).toContain(adminv1.RunPhase.MATCHING);
      const run = last?.case === "run" ? last.value : undefined;
      const stored = await storedRun();
      expect(run).toMatchObject({ adapter: "va", businessDate: DAY, status: adminv1.RunStatus.COMPLETED });
      expect(String(run?.runId)).toBe(stored.id);
      expect(run?.attempts).toBe(stored.attempts);
      expect(classesOf(run)).toEqual(stored.classes);
    }
    // Run twice more, idempotently: two more attempts, the same verdicts.
    expect(await storedRun()).toEqual({ ...before, attempts: before.attempts + 2 });
  });

  it("speaks plain bytes: a JSON request in one envelope, answered by enveloped JSON messages", async () => {
    const body = envelope(JSON.stringify({ adapter: "va", businessDate: DAY }));
    const response = await fetch(
      `${reconciler.httpUrl}/payments.admin.v1.ReconciliationRunService/RunReconciliation`,
      {
        method: "POST",
        headers: { "content-type": "application/connect+json", authorization: `Bearer ${OPERATOR_TOKEN}` },
        body,
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/connect+json");
    const bytes = new Uint8Array(await response.arrayBuffer());
    const envelopes = readEnvelopes(bytes).map(({ flags, data }) => ({
      flags,
      json: JSON.parse(new TextDecoder().decode(data)) as Record<string, unknown>,
    }));
    // Messages, then the end of the stream (flag 2) with no error.
    expect(envelopes.at(-1)).toEqual({ flags: 2, json: {} });
    const run = envelopes.at(-2)?.json.run as { status: string; classes: unknown[] };
    expect(run.status).toBe("RUN_STATUS_COMPLETED");
    const classes = run.classes as Array<{ verdictClass: string; verdicts?: string }>;
    expect(
      classes
        .filter((total) => total.verdicts !== undefined)
        .map((total) => total.verdictClass)
        .sort(),
    ).toEqual((await storedRun()).classes.map(([name]) => name));
    expect(
      envelopes.slice(0, -2).every((envelope) => envelope.flags === 0 && "progress" in envelope.json),
    ).toBe(true);
  });

  it("refuses as the gRPC port does, with ErrorInfo, and runs nothing", async () => {
    const before = await storedRun();
    const day = { adapter: "va", businessDate: DAY };
    expect((await connectRun(day, { token: "not-an-operator-token-0000" })).error).toMatchObject({
      code: "Unauthenticated",
      reason: "UNAUTHENTICATED",
    });
    expect((await connectRun({ adapter: "va", businessDate: "" })).error).toMatchObject({
      code: "InvalidArgument",
      reason: "MISSING_FIELD",
      field: "business_date",
    });
    expect((await connectRun({ adapter: "va", businessDate: "2026-12-04" })).error).toMatchObject({
      code: "FailedPrecondition",
      reason: "INVALID_FIELD",
      field: "business_date",
      message: expect.stringContaining("2026-12-04 is not due yet"),
    });
    expect((await connectRun({ adapter: "qris", businessDate: DAY })).error).toMatchObject({
      code: "InvalidArgument",
      field: "adapter",
      message: 'adapter: "qris" is not one this reconciler runs (va)',
    });
    expect(await storedRun()).toEqual(before);
  });

  it("answers a body that does not decode INVALID_ARGUMENT naming the field, and a stranger UNAUTHENTICATED first", async () => {
    // Field 1 (adapter) holding bytes that are not UTF-8, in one envelope.
    const body = envelope(new Uint8Array([0x0a, 0x02, 0xff, 0xfe]));
    const send = async (token: string) => {
      const response = await fetch(
        `${reconciler.httpUrl}/payments.admin.v1.ReconciliationRunService/RunReconciliation`,
        {
          method: "POST",
          headers: { "content-type": "application/connect+proto", authorization: `Bearer ${token}` },
          body,
        },
      );
      const envelopes = readEnvelopes(new Uint8Array(await response.arrayBuffer()));
      expect(envelopes.map(({ flags }) => flags)).toEqual([2]); // the end of the stream, straight away
      return streamError(envelopes);
    };
    const invalid = await send(OPERATOR_TOKEN);
    expect(invalid?.code).toBe("invalid_argument");
    expect(invalid?.info).toMatchObject({ reason: "INVALID_FIELD", metadata: { field: "adapter" } });
    expect((await send("not-an-operator-token-0000"))?.code).toBe("unauthenticated");
  });

  it("abandons the run of a caller that goes away: it rolls back, and the day can be run again at once", async () => {
    const before = await storedRun();
    const failedRuns = async () => {
      const text = await (await fetch(`${reconciler.httpUrl}/metrics`)).text();
      const line = /^paymesh_reconciliation_runs_total\{adapter="va",outcome="failed"\} (\d+)/m.exec(text);
      return Number(line?.[1] ?? 0);
    };
    const failedBefore = await failedRuns();
    const held = proxy.heldBytes;
    proxy.stall("responses");
    const leaving = new AbortController();
    const gone = connectRun({ adapter: "va", businessDate: DAY }, { signal: leaving.signal });
    await waitFor(() => (proxy.heldBytes > held ? true : undefined), 20_000, "the run reading the report");
    leaving.abort();
    expect((await gone).error?.code).toBe("Canceled");
    // The adapter still answers nothing, yet the run ends: abandoned, not left waiting for it.
    await waitFor(
      async () => ((await failedRuns()) > failedBefore ? true : undefined),
      // Well inside the 10 s deadline of the adapter's answer, which would end a run left waiting.
      5_000,
      "the abandoned run to end",
    );
    proxy.restore();
    const again = await connectRun({ adapter: "va", businessDate: DAY });
    expect(again.error).toBeUndefined();
    const after = await storedRun();
    // Nothing the abandoned run read was kept: the same verdicts.
    expect(after.classes).toEqual(before.classes);
    expect(after.status).toBe("completed");
  }, 60_000);

  it("abandons a run in flight when the reconciler shuts down, telling its caller UNAVAILABLE", async () => {
    const before = await storedRun();
    const logs = captureLogLines();
    const closing = await startReconciler(
      undefined,
      createLogger({ service: "reconciler", destination: logs.destination }),
    );
    const held = proxy.heldBytes;
    proxy.stall("responses");
    const cut = connectRun({ adapter: "va", businessDate: DAY }, { baseUrl: closing.httpUrl });
    await waitFor(() => (proxy.heldBytes > held ? true : undefined), 20_000, "the run reading the report");
    const started = performance.now();
    await closing.close();
    // A second of grace, then the run is abandoned: not left to the adapter's 10 s deadline.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((await cut).error).toMatchObject({
      code: "Unavailable",
      message: "the reconciler is shutting down: the run was abandoned and rolled back; run it again",
    });
    // Its one rpc line, with the operator's name and the code its caller got.
    expect(logs.lines.filter((line) => line.source === "rpc")).toEqual([
      expect.objectContaining({
        method: "RunReconciliation",
        caller: "sari",
        code: "UNAVAILABLE",
        transport: "connect",
      }),
    ]);
    proxy.restore();
    expect((await connectRun({ adapter: "va", businessDate: DAY })).error).toBeUndefined();
    expect((await storedRun()).classes).toEqual(before.classes);
  }, 60_000);

  it("is not served by a reconciler without operators: its HTTP port answers the path 405", async () => {
    const without = await startReconciler({});
    const url = (base: string) => `${base}/payments.admin.v1.ReconciliationRunService/RunReconciliation`;
    const request = {
      method: "POST",
      headers: { "content-type": "application/connect+json", authorization: `Bearer ${OPERATOR_TOKEN}` },
      body: envelope("{}"),
    };
    expect((await fetch(url(without.httpUrl), request)).status).toBe(405);
    // The same request to a reconciler with operators is served (and refused for its empty adapter).
    const served = await fetch(url(reconciler.httpUrl), request);
    expect(served.status).toBe(200);
    expect(await served.text()).toContain('"message":"adapter: is required"');
  });
});
