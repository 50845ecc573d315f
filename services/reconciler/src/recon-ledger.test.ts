import { randomBytes } from "node:crypto";
import { PaymentStatus } from "@paymesh/proto";
import {
  createPgliteSqlClient,
  createPgSqlClient,
  createSqlPaymentStore,
  type SqlClient,
} from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";
import { dropTestSchema, postgresUrlForTests, uniqueTestSchema } from "@paymesh/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verdictsCsv } from "./recon-export.ts";
import { createReconLedger, type ReconLedger } from "./recon-ledger.ts";
import { createReconciler } from "./reconciler.ts";
import type { SettledTransaction } from "./settlement-line.ts";

// The ledger reads back what the engine wrote, and appends decisions, on a real store.

const backends: Array<[string, () => Promise<{ sql: SqlClient; dispose(): Promise<void> }>]> = [
  ["PGlite", async () => ({ sql: await createPgliteSqlClient(), dispose: async () => {} })],
];
const databaseUrl = postgresUrlForTests();
if (databaseUrl !== undefined) {
  backends.push([
    "Postgres",
    async () => {
      const schema = uniqueTestSchema();
      return {
        sql: createPgSqlClient({ databaseUrl, schema }),
        dispose: () => dropTestSchema(databaseUrl, schema),
      };
    },
  ]);
}

const DAY = "2026-12-03";
const MIDDAY = new Date("2026-12-03T05:00:00Z");
// Past the end of the day plus a one-day lag: an unsettled payment is a discrepancy by now.
const AFTER_LAG = new Date("2026-12-05T00:00:00Z");

/** A payment line of `gross` IDR with no fees (no schedule is declared in these runs). */
function line(reference: string, gross = 100_000n): SettledTransaction {
  return {
    kind: "transaction",
    type: "payment",
    providerReference: reference,
    currency: "IDR",
    businessDate: DAY,
    settledAt: new Date("2026-12-04T02:00:00Z"),
    batchId: "B-1",
    providerStatus: "SETTLED",
    rawLine: `${reference},${gross}`,
    gross,
    providerFee: 0n,
    tax: 0n,
    net: gross,
  };
}

describe.each(backends)("reconciliation ledger on %s", (_name, open) => {
  let sql: SqlClient;
  let dispose: () => Promise<void>;
  let storeNow = MIDDAY;
  let store: Awaited<ReturnType<typeof createSqlPaymentStore>>;
  let ledger: ReconLedger;
  const fixtures = createPaymentFixtures();

  beforeAll(async () => {
    ({ sql, dispose } = await open());
    store = await createSqlPaymentStore({ sql, clock: () => storeNow });
    ledger = createReconLedger({ sql, clock: () => new Date("2026-12-06T08:00:00Z") });
  });
  afterAll(async () => {
    await store.close();
    await dispose();
  });

  async function pay(adapter: string, reference: string): Promise<string> {
    const record = fixtures.payment({
      adapter,
      providerReference: reference,
      amount: { currency: "IDR", minorUnits: 100_000n },
      createdAt: new Date(MIDDAY.getTime() - 60_000),
      updatedAt: new Date(MIDDAY.getTime() - 60_000),
    });
    storeNow = record.createdAt;
    await store.insert(record);
    storeNow = MIDDAY;
    await store.update(record.id, 1, { status: PaymentStatus.SUCCEEDED }, "webhook");
    return record.id;
  }

  /** A run of a fresh adapter: line 1 matched, 2 amount_mismatch, 3 missing_internal, one unsettled payment. */
  async function dayWithDiscrepancies() {
    const adapter = `va-${randomBytes(4).toString("hex")}`;
    await pay(adapter, "R-OK");
    const short = await pay(adapter, "R-SHORT");
    const unsettled = await pay(adapter, "R-UNSETTLED");
    const reconciler = await createReconciler({ sql, clock: () => AFTER_LAG });
    async function* lines() {
      yield line("R-OK");
      yield line("R-SHORT", 90_000n);
      yield line("R-STRANGER", 5_000n);
    }
    const summary = await reconciler.run({
      adapter,
      businessDate: DAY,
      report: { adapter, businessDate: DAY, lines: lines() },
      terms: { settlementLagMs: 86_400_000 },
    });
    return { adapter, runId: summary.runId, unsettled, short };
  }

  async function trail(runId: bigint) {
    return sql.query(
      "SELECT line_no, payment_id, class, action, actor, note FROM recon_resolutions WHERE run_id = $1",
      [runId],
    );
  }

  it("lists runs and shows one with counts and amounts per class", async () => {
    const { adapter, runId } = await dayWithDiscrepancies();
    const runs = await ledger.runs({ adapter, limit: 10 });
    expect(runs).toEqual([
      expect.objectContaining({
        runId,
        adapter,
        businessDate: DAY,
        status: "completed",
        attempts: 1,
        lines: 3,
        unreadable: 0,
        discrepancies: 3,
        open: 3,
      }),
    ]);
    expect(await ledger.runs({ adapter, status: "failed", limit: 10 })).toEqual([]);
    expect(await ledger.runs({ adapter, from: "2026-12-04", limit: 10 })).toEqual([]);

    const detail = await ledger.run(runId);
    const byClass = Object.fromEntries((detail?.classes ?? []).map((total) => [total.class, total]));
    expect(byClass.matched).toEqual({
      class: "matched",
      verdicts: 1,
      discrepancies: 0,
      open: 0,
      amounts: [{ currency: "IDR", ourMinor: 100_000n, theirMinor: 100_000n }],
    });
    expect(byClass.amount_mismatch?.amounts).toEqual([
      { currency: "IDR", ourMinor: 100_000n, theirMinor: 90_000n },
    ]);
    expect(byClass.missing_internal?.amounts).toEqual([
      { currency: "IDR", ourMinor: 0n, theirMinor: 5_000n },
    ]);
    expect(byClass.missing_at_provider).toMatchObject({ verdicts: 1, discrepancies: 1, open: 1 });
    expect(byClass.missing_at_provider?.amounts).toEqual([
      { currency: "IDR", ourMinor: 100_000n, theirMinor: 0n },
    ]);
    expect(byClass.fee_mismatch).toEqual({
      class: "fee_mismatch",
      verdicts: 0,
      discrepancies: 0,
      open: 0,
      amounts: [],
    });
    expect(await ledger.run(runId + 1_000_000n)).toBeUndefined();
  });

  it("lists discrepancies by filter and page, and exports every verdict of a run", async () => {
    const { adapter, runId, unsettled, short } = await dayWithDiscrepancies();
    const all = await ledger.discrepancies({ adapter, limit: 10 });
    expect(all.map((each) => [each.id, each.class])).toEqual([
      [`${runId}:2`, "amount_mismatch"],
      [`${runId}:3`, "missing_internal"],
      [`${runId}:${unsettled}`, "missing_at_provider"],
    ]);
    expect(all[0]).toMatchObject({
      runId,
      adapter,
      businessDate: DAY,
      lineNo: 2,
      paymentId: short,
      type: "payment",
      providerReference: "R-SHORT",
      currency: "IDR",
      ourAmountMinor: 100_000n,
      theirAmountMinor: 90_000n,
      detail: "ours 100000 IDR, theirs 90000 IDR",
    });
    expect(all[0]?.resolution).toBeUndefined();
    const missing = await ledger.discrepancies({ adapter, class: "missing_internal", limit: 10 });
    expect(missing.map((each) => each.providerReference)).toEqual(["R-STRANGER"]);
    expect(await ledger.discrepancies({ adapter, date: "2026-12-02", limit: 10 })).toEqual([]);
    // Filters from outside are checked here, for every front, naming the field.
    for (const [filter, field] of [
      [{ class: "matched" }, "class"],
      [{ status: "closed" }, "status"],
      [{ date: "2026-02-30" }, "date"],
      [{ limit: 0 }, "limit"],
      [{ after: "12" }, "after"],
    ] as const) {
      await expect(ledger.discrepancies(filter)).rejects.toMatchObject({ code: "INVALID_REQUEST", field });
    }
    await expect(ledger.runs({ status: "running" })).rejects.toMatchObject({ field: "status" });
    await expect(ledger.runs({ from: "03-12-2026" })).rejects.toMatchObject({ field: "from" });

    const first = await ledger.discrepancies({ adapter, limit: 2 });
    const rest = await ledger.discrepancies({ adapter, limit: 2, after: `${runId}:3` });
    expect([...first, ...rest].map((each) => each.id)).toEqual(all.map((each) => each.id));
    // After a line that found our payment: the next line, not the same one again.
    const next = await ledger.discrepancies({ adapter, limit: 1, after: `${runId}:2` });
    expect(next.map((each) => each.id)).toEqual([`${runId}:3`]);

    const exported = [];
    for await (const verdict of ledger.verdicts(runId)) exported.push([verdict.id, verdict.class]);
    expect(exported).toEqual([
      [`${runId}:1`, "matched"],
      [`${runId}:2`, "amount_mismatch"],
      [`${runId}:3`, "missing_internal"],
      [`${runId}:${unsettled}`, "missing_at_provider"],
    ]);
    // A page at a time, one verdict per page: the same verdicts in the same order.
    const paged = [];
    for await (const verdict of createReconLedger({ sql, exportPageSize: 1 }).verdicts(runId))
      paged.push([verdict.id, verdict.class]);
    expect(paged).toEqual(exported);
    let csv = "";
    for await (const piece of verdictsCsv(ledger.verdicts(runId))) csv += piece;
    const rows = csv.trimEnd().split("\r\n");
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatch(/^id,run_id,adapter,business_date,line_no,payment_id,class,/);
    expect(rows[2]).toBe(
      `${runId}:2,${runId},${adapter},${DAY},2,${short},amount_mismatch,true,payment,R-SHORT,IDR,100000,90000,"ours 100000 IDR, theirs 90000 IDR",,,,`,
    );
  });

  it("appends one decision per discrepancy, names who decided, and refuses a second", async () => {
    const { adapter, runId, unsettled, short } = await dayWithDiscrepancies();
    const resolution = await ledger.resolve({
      id: `${runId}:2`,
      action: "adjust",
      actor: "dewi",
      note: "provider credited the missing 10,000 in batch B-2",
    });
    expect(resolution).toMatchObject({ runId, lineNo: 2, verdictClass: "amount_mismatch", actor: "dewi" });
    expect(await trail(runId)).toEqual([
      {
        line_no: 2,
        payment_id: short,
        class: "amount_mismatch",
        action: "adjust",
        actor: "dewi",
        note: "provider credited the missing 10,000 in batch B-2",
      },
    ]);

    await expect(
      ledger.resolve({ id: `${runId}:2`, action: "accept", actor: "budi", note: "again" }),
    ).rejects.toMatchObject({ code: "ALREADY_RESOLVED" });
    await expect(
      ledger.resolve({ id: `${runId}:1`, action: "accept", actor: "budi", note: "fine" }),
    ).rejects.toMatchObject({ code: "INVALID_REQUEST", field: "id", message: /matched, not a discrepancy/ });
    await expect(
      ledger.resolve({ id: `${runId}:3`, action: "accept", actor: "budi", note: "" }),
    ).rejects.toMatchObject({ code: "INVALID_REQUEST", field: "note" });
    await expect(
      ledger.resolve({ id: `${runId}:9`, action: "accept", actor: "budi", note: "x" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      ledger.resolve({
        id: `${runId + 1_000_000n}:1`,
        action: "accept",
        actor: "b",
        note: "x",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await trail(runId)).toHaveLength(1);

    // Two operators deciding about the same payment at once: exactly one decision is kept.
    const racing = await Promise.allSettled(
      ["budi", "sari"].map((actor) =>
        ledger.resolve({
          id: `${runId}:${unsettled}`,
          action: "write-off",
          actor,
          note: "never paid out",
        }),
      ),
    );
    expect(racing.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await trail(runId)).toHaveLength(2);

    const resolved = await ledger.discrepancies({ adapter, status: "resolved", limit: 10 });
    expect(resolved.map((each) => [each.id, each.resolution?.action])).toEqual([
      [`${runId}:2`, "adjust"],
      [`${runId}:${unsettled}`, "write-off"],
    ]);
    expect(resolved[0]?.resolution).toMatchObject({ actor: "dewi", at: new Date("2026-12-06T08:00:00Z") });
    const open = await ledger.discrepancies({ adapter, status: "open", limit: 10 });
    expect(open.map((each) => each.id)).toEqual([`${runId}:3`]);
    expect((await ledger.runs({ adapter, limit: 1 }))[0]?.open).toBe(1);
  });
});
