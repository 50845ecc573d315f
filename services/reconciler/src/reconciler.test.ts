import { randomBytes } from "node:crypto";
import { PaymentStatus } from "@paymesh/proto";
import {
  createPgliteSqlClient,
  createPgSqlClient,
  createSqlPaymentStore,
  type PaymentStore,
  type SqlClient,
} from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";
import { dropTestSchema, postgresUrlForTests, uniqueTestSchema } from "@paymesh/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FeeSchedule } from "./fee-schedule.ts";
import { isReconError } from "./recon-error.ts";
import { createReconciler, type Reconciler, type RunProgress, type SettlementTerms } from "./reconciler.ts";
import type { SettledTransaction, SettlementLine, SettlementReport } from "./settlement-line.ts";

/** A database for this file, and a second connection to it as another worker would have. */
interface Backend {
  sql: SqlClient;
  /** Another client on the same database (Postgres: its own pool), or the same one (PGlite). */
  other: SqlClient;
  dispose(): Promise<void>;
}

const backends: Array<[string, () => Promise<Backend>]> = [
  [
    "PGlite",
    async () => {
      const sql = await createPgliteSqlClient();
      return { sql, other: sql, dispose: async () => {} };
    },
  ],
];
const databaseUrl = postgresUrlForTests();
if (databaseUrl !== undefined) {
  backends.push([
    "Postgres",
    async () => {
      const schema = uniqueTestSchema();
      const sql = createPgSqlClient({ databaseUrl, schema });
      const other = createPgSqlClient({ databaseUrl, schema });
      return {
        sql,
        other,
        dispose: async () => {
          await other.close();
          await dropTestSchema(databaseUrl, schema);
        },
      };
    },
  ]);
}

const DAY = "2026-12-03";
const DAY_MS = 24 * 60 * 60 * 1000;
// 2026-12-03 in Asia/Jakarta (UTC+7) is [2026-12-02T17:00Z, 2026-12-03T17:00Z).
const MIDDAY = new Date("2026-12-03T05:00:00Z");
const AFTER_LAG = new Date("2026-12-05T00:00:00Z");
// 0.7% MDR and 11% VAT on it, as QRIS acquirers charge: 100,000 pays fee 700 and tax 77.
const FEES: FeeSchedule = [{ currency: "IDR", ratePpm: 7_000, taxPpm: 110_000 }];
const TERMS: SettlementTerms = { settlementLagMs: DAY_MS, fees: FEES };

describe.each(backends)("reconciliation engine on %s", (_name, open) => {
  let backend: Backend;
  let store: PaymentStore;
  let storeNow = MIDDAY;
  let reconNow = AFTER_LAG;
  let reconciler: Reconciler;
  const fixtures = createPaymentFixtures();

  beforeAll(async () => {
    backend = await open();
    store = await createSqlPaymentStore({ sql: backend.sql, clock: () => storeNow });
    reconciler = await createReconciler({ sql: backend.sql, clock: () => reconNow });
  });
  afterAll(async () => {
    await store.close();
    await backend.dispose();
  });

  /** An adapter name no other test uses: runs and payments are keyed by it. */
  const freshAdapter = () => `va-${randomBytes(4).toString("hex")}`;

  /** A payment of `adapter` that reached `status` at `at` (the journal's time). */
  async function pay(
    adapter: string,
    options: { reference: string; status?: PaymentStatus; at?: Date; minor?: bigint; currency?: string },
  ) {
    const at = options.at ?? MIDDAY;
    const record = fixtures.payment({
      adapter,
      providerReference: options.reference,
      amount: { currency: options.currency ?? "IDR", minorUnits: options.minor ?? 100_000n },
      createdAt: new Date(at.getTime() - 60_000),
      updatedAt: new Date(at.getTime() - 60_000),
    });
    storeNow = record.createdAt;
    await store.insert(record);
    storeNow = at;
    await store.update(record.id, 1, { status: options.status ?? PaymentStatus.SUCCEEDED }, "webhook");
    return record.id;
  }

  /** A payment line of 100,000 IDR charged exactly the schedule's fee, unless overridden. */
  function line(reference: string, overrides: Partial<SettledTransaction> = {}): SettledTransaction {
    const gross = overrides.gross ?? 100_000n;
    const providerFee = overrides.providerFee ?? (gross * 7_000n + 500_000n) / 1_000_000n;
    const tax = overrides.tax ?? (providerFee * 110_000n + 500_000n) / 1_000_000n;
    return {
      kind: "transaction",
      type: "payment",
      providerReference: reference,
      currency: "IDR",
      businessDate: DAY,
      settledAt: new Date("2026-12-04T02:00:00Z"),
      batchId: "B-1",
      providerStatus: "SETTLED",
      rawLine: `${reference},"masked ****1234",${gross}`,
      ...overrides,
      gross,
      providerFee,
      tax,
      net: overrides.net ?? gross - providerFee - tax,
    };
  }

  async function* stream(lines: readonly SettlementLine[]): AsyncGenerator<SettlementLine> {
    for (const each of lines) yield each;
  }

  const report = (
    adapter: string,
    lines: readonly SettlementLine[],
    businessDate = DAY,
  ): SettlementReport => ({
    adapter,
    businessDate,
    lines: stream(lines),
  });

  /** Every verdict of the run, by subject ("line 3" or a payment id), as "class" or "class (expected)". */
  async function verdicts(adapter: string, businessDate = DAY): Promise<Record<string, string>> {
    const rows = await backend.sql.query(
      `SELECT v.line_no, v.payment_id, v.class, v.discrepancy FROM recon_verdicts v
       JOIN recon_runs r ON r.id = v.run_id WHERE r.adapter = $1 AND r.business_date = $2::date`,
      [adapter, businessDate],
    );
    const byLine: Record<string, string> = {};
    for (const row of rows) {
      const subject = row.line_no === null ? String(row.payment_id) : `line ${row.line_no}`;
      const expected = row.class === "missing_at_provider" && row.discrepancy === false ? " (expected)" : "";
      byLine[subject] = `${row.class}${expected}`;
    }
    return byLine;
  }

  /** The verdicts' words (detail) by line, or by payment id for a payment's own verdict. */
  async function details(adapter: string, businessDate = DAY): Promise<Record<string, string | null>> {
    const rows = await backend.sql.query(
      `SELECT v.line_no, v.payment_id, v.detail FROM recon_verdicts v
       JOIN recon_runs r ON r.id = v.run_id WHERE r.adapter = $1 AND r.business_date = $2::date`,
      [adapter, businessDate],
    );
    return Object.fromEntries(
      rows.map((row) => [
        row.line_no === null ? String(row.payment_id) : `line ${row.line_no}`,
        typeof row.detail === "string" ? row.detail : null,
      ]),
    );
  }

  async function lineCount(adapter: string): Promise<bigint> {
    const rows = await backend.sql.query(
      "SELECT count(*) AS n FROM recon_lines l JOIN recon_runs r ON r.id = l.run_id WHERE r.adapter = $1",
      [adapter],
    );
    return rows[0]?.n as bigint;
  }

  /** A day with one of every class, and the verdicts it must produce. */
  async function everyClass(adapter: string) {
    const matched = await pay(adapter, { reference: "R-MATCHED" });
    const amount = await pay(adapter, { reference: "R-AMOUNT" });
    const currency = await pay(adapter, { reference: "R-CURRENCY" });
    const status = await pay(adapter, { reference: "R-STATUS", status: PaymentStatus.FAILED });
    const fee = await pay(adapter, { reference: "R-FEE" });
    const duplicated = await pay(adapter, { reference: "R-DUP" });
    const unsettled = await pay(adapter, { reference: "R-UNSETTLED" });
    // Neither judged by this run: another day, and another adapter.
    await pay(adapter, { reference: "R-NEXT-WEEK", at: new Date("2026-12-10T05:00:00Z") });
    await pay(freshAdapter(), { reference: "R-MATCHED" });

    const lines: SettlementLine[] = [
      line("R-MATCHED", { paymentId: matched }), // 1: found by our echoed id
      line("R-AMOUNT", { gross: 90_000n }), // 2
      line("R-CURRENCY", { currency: "USD", providerFee: 0n, tax: 0n, batchId: "B-USD" }), // 3
      line("R-STATUS"), // 4
      line("R-FEE", { providerFee: 1_000n, tax: 110n }), // 5
      line("R-DUP"), // 6
      line("R-DUP"), // 7
      line("R-UNKNOWN"), // 8
      line("R-MATCHED", { type: "refund", gross: -100_000n, providerFee: 0n, tax: 0n }), // 9
      line("MONTHLY-FEE", { type: "fee", gross: -5_000n, providerFee: 0n, tax: 0n }), // 10
      { kind: "unreadable", reason: "amount 'abc' is not a number", rawLine: "R-X,abc" }, // 11
      line(""), // 12: no reference at all
      line("R-ODD", { currency: "XXQ" }), // 13
      line("R-LATE", { businessDate: "2026-12-01" }), // 14
      {
        kind: "batch_total",
        batchId: "B-1",
        currency: "IDR",
        gross: 0n,
        net: 0n,
        businessDate: DAY,
        rawLine: "T",
      }, // 15
      {
        kind: "batch_total",
        batchId: "B-1",
        currency: "IDR",
        gross: 0n,
        net: 0n,
        businessDate: DAY,
        rawLine: "T",
      }, // 16
    ];
    // Line 15 states the true totals of B-1's transactions (lines 1, 2 and 4 to 10; 3 is in B-USD
    // and 11 to 14 are unreadable); line 16 states a net one rupiah off.
    const b1 = [0, 1, 3, 4, 5, 6, 7, 8, 9].map((index) => lines[index] as SettledTransaction);
    const gross = b1.reduce((sum, each) => sum + each.gross, 0n);
    const net = b1.reduce((sum, each) => sum + each.net, 0n);
    lines[14] = {
      ...(lines[14] as SettlementLine & { kind: "batch_total" }),
      gross,
      net,
      lineCount: b1.length,
    };
    lines[15] = { ...(lines[15] as SettlementLine & { kind: "batch_total" }), gross, net: net - 1n };
    const expected = {
      "line 1": "matched",
      "line 2": "amount_mismatch",
      "line 3": "currency_mismatch",
      "line 4": "status_mismatch",
      "line 5": "fee_mismatch",
      "line 6": "matched",
      "line 7": "duplicate_settlement",
      "line 8": "missing_internal",
      "line 9": "unrecorded_refund",
      "line 10": "adjustment",
      "line 11": "unreadable",
      "line 12": "unreadable",
      "line 13": "unreadable",
      "line 14": "unreadable",
      "line 15": "matched",
      "line 16": "batch_total_mismatch",
      [unsettled]: "missing_at_provider",
    };
    return { lines, expected, ids: { matched, amount, currency, status, fee, duplicated, unsettled } };
  }

  it("gives every line and every payment of the day one verdict, each class detected exactly once", async () => {
    const adapter = freshAdapter();
    const { lines, expected, ids } = await everyClass(adapter);
    const summary = await reconciler.run({
      adapter,
      businessDate: DAY,
      report: report(adapter, lines),
      terms: TERMS,
    });

    expect(await verdicts(adapter)).toEqual(expected);
    expect(summary).toMatchObject({
      status: "completed",
      attempts: 1,
      lines: 16,
      unreadable: 4,
      // All but the three matched verdicts.
      discrepancies: 14,
      classes: {
        matched: 3,
        missing_internal: 1,
        missing_at_provider: 1,
        amount_mismatch: 1,
        currency_mismatch: 1,
        status_mismatch: 1,
        fee_mismatch: 1,
        duplicate_settlement: 1,
        unrecorded_refund: 1,
        adjustment: 1,
        batch_total_mismatch: 1,
        unreadable: 4,
      },
    });
    // The line verdicts name the payment each line found, by echoed id or by reference.
    const found = await backend.sql.query(
      `SELECT v.line_no, v.payment_id FROM recon_verdicts v JOIN recon_runs r ON r.id = v.run_id
       WHERE r.adapter = $1 AND v.line_no IN (1, 2, 4, 7) ORDER BY v.line_no`,
      [adapter],
    );
    expect(found.map((row) => row.payment_id)).toEqual([ids.matched, ids.amount, ids.status, ids.duplicated]);
    expect(await details(adapter)).toMatchObject({
      "line 6": null,
      "line 7": "payment already settled on line 6",
    });
    const reasons = await backend.sql.query(
      `SELECT l.line_no, l.unreadable_reason, l.raw_line FROM recon_lines l JOIN recon_runs r ON r.id = l.run_id
       WHERE r.adapter = $1 AND l.kind = 'unreadable' ORDER BY l.line_no`,
      [adapter],
    );
    expect(reasons.map((row) => row.unreadable_reason)).toEqual([
      "amount 'abc' is not a number",
      "missing reference: neither a provider reference nor our payment id",
      'unknown currency "XXQ"',
      `business date "2026-12-01" is not the run's ${DAY}`,
    ]);
  });

  it("runs again with the same verdicts and no duplicate rows, keeping the resolution trail", async () => {
    const adapter = freshAdapter();
    const { lines, expected, ids } = await everyClass(adapter);
    const first = await reconciler.run({
      adapter,
      businessDate: DAY,
      report: report(adapter, lines),
      terms: TERMS,
    });
    const resolution = await reconciler.resolve({
      runId: first.runId,
      paymentId: ids.unsettled,
      action: "write-off",
      actor: "ops@paymesh",
      note: "provider confirms it never received the funds",
    });
    const second = await reconciler.run({
      adapter,
      businessDate: DAY,
      report: report(adapter, lines),
      terms: TERMS,
    });

    expect(await verdicts(adapter)).toEqual(expected);
    expect(await lineCount(adapter)).toBe(16n);
    expect(second).toEqual({ ...first, attempts: 2 });
    const trail = await backend.sql.query(
      "SELECT class, action, actor, note FROM recon_resolutions WHERE run_id = $1",
      [first.runId],
    );
    expect(trail).toEqual([
      {
        class: "missing_at_provider",
        action: "write-off",
        actor: "ops@paymesh",
        note: "provider confirms it never received the funds",
      },
    ]);
    expect(resolution.verdictClass).toBe("missing_at_provider");
    // Append-only, enforced by the database itself.
    await expect(
      backend.sql.query("DELETE FROM recon_resolutions WHERE run_id = $1", [first.runId]),
    ).rejects.toThrow(/append-only/);
    await expect(backend.sql.query("UPDATE recon_resolutions SET note = 'x'")).rejects.toThrow(/append-only/);
  });

  it("checks a flat fee and its VAT separately, and a batch's stated line count", async () => {
    const adapter = freshAdapter();
    for (const reference of ["R-OK", "R-FEE", "R-TAX"]) await pay(adapter, { reference });
    await pay(adapter, { reference: "R-USD", currency: "USD", minor: 2_500n });
    // A disbursement-style schedule: 4,000 flat plus 11% VAT on it; nothing declared for USD.
    const terms: SettlementTerms = {
      settlementLagMs: DAY_MS,
      fees: [{ currency: "IDR", flatMinor: 4_000n, taxPpm: 110_000 }],
    };
    const lines: SettlementLine[] = [
      line("R-OK", { providerFee: 4_000n, tax: 440n }),
      line("R-FEE", { providerFee: 4_500n, tax: 440n }),
      line("R-TAX", { providerFee: 4_000n, tax: 400n }),
      line("R-USD", { currency: "USD", gross: 2_500n, providerFee: 99n, tax: 1n }),
    ];
    const settled = lines as SettledTransaction[];
    const idr = settled.filter((each) => each.currency === "IDR");
    const total = (field: "gross" | "net") => idr.reduce((sum, each) => sum + each[field], 0n);
    lines.push({
      kind: "batch_total",
      batchId: "B-1",
      currency: "IDR",
      gross: total("gross"),
      net: total("net"),
      lineCount: 4,
      businessDate: DAY,
      rawLine: "TRAILER",
    });
    await reconciler.run({ adapter, businessDate: DAY, report: report(adapter, lines), terms });
    expect(await verdicts(adapter)).toEqual({
      "line 1": "matched",
      "line 2": "fee_mismatch",
      "line 3": "fee_mismatch",
      "line 4": "matched",
      "line 5": "batch_total_mismatch",
    });
    expect(await details(adapter)).toMatchObject({
      "line 1": null,
      "line 2": "expected fee 4000 + tax 440, charged 4500 + 440",
      "line 3": "expected fee 4000 + tax 440, charged 4000 + 400",
      "line 4": null,
    });
  });

  it("rounds the fee and its tax as the provider does: down to the rupiah, or up to the sen", async () => {
    // Rp25.000 at 0.7% is Rp175 of MDR; 11% of it is Rp19.25: the acquirer's file says Rp19.
    const qris = freshAdapter();
    for (const reference of ["R-DOWN", "R-HALF-UP"]) await pay(qris, { reference, minor: 2_500_000n });
    await reconciler.run({
      adapter: qris,
      businessDate: DAY,
      report: report(qris, [
        line("R-DOWN", { gross: 2_500_000n, providerFee: 17_500n, tax: 1_900n }),
        line("R-HALF-UP", { gross: 2_500_000n, providerFee: 17_500n, tax: 1_925n }),
      ]),
      terms: {
        settlementLagMs: DAY_MS,
        fees: [
          { currency: "IDR", ratePpm: 7_000, taxPpm: 110_000, rounding: "down", roundingUnitMinor: 100n },
        ],
      },
    });
    expect(await verdicts(qris)).toEqual({ "line 1": "matched", "line 2": "fee_mismatch" });
    // Wise: Rp5.000 plus 0.45%, that share rounded up to the sen: 0.45% of Rp1.234.567 is
    // 555,555.15 sen, charged as 555,556 (to the nearest it would be 555,555).
    const wise = freshAdapter();
    await pay(wise, { reference: "R-UP", minor: 123_456_700n });
    await reconciler.run({
      adapter: wise,
      businessDate: DAY,
      report: report(wise, [line("R-UP", { gross: 123_456_700n, providerFee: 1_055_556n, tax: 0n })]),
      terms: {
        settlementLagMs: DAY_MS,
        fees: [{ currency: "IDR", flatMinor: 500_000n, ratePpm: 4_500, rounding: "up" }],
      },
    });
    expect(await verdicts(wise)).toEqual({ "line 1": "matched" });
  });

  it("refuses a resolution without a note or for a verdict that does not exist", async () => {
    const adapter = freshAdapter();
    const summary = await reconciler.run({
      adapter,
      businessDate: DAY,
      report: report(adapter, [line("R-NONE")]),
      terms: TERMS,
    });
    const base = { runId: summary.runId, action: "accept", actor: "ops" } as const;
    await expect(reconciler.resolve({ ...base, lineNo: 1, note: " " })).rejects.toThrow(/note: is required/);
    await expect(reconciler.resolve({ ...base, lineNo: 2, note: "why" })).rejects.toThrow(/no such verdict/);
    expect((await reconciler.resolve({ ...base, lineNo: 1, note: "known test order" })).verdictClass).toBe(
      "missing_internal",
    );
  });

  it("expects an unsettled payment until the settlement lag has passed, then calls it a discrepancy", async () => {
    const adapter = freshAdapter();
    const unsettled = await pay(adapter, { reference: "R-SLOW" });
    reconNow = new Date("2026-12-04T12:00:00Z"); // within T+1 of the day's end
    try {
      const early = await reconciler.run({
        adapter,
        businessDate: DAY,
        report: report(adapter, []),
        terms: TERMS,
      });
      expect(await verdicts(adapter)).toEqual({ [unsettled]: "missing_at_provider (expected)" });
      expect(early.discrepancies).toBe(0);
    } finally {
      reconNow = AFTER_LAG;
    }
    const late = await reconciler.run({
      adapter,
      businessDate: DAY,
      report: report(adapter, []),
      terms: TERMS,
    });
    expect(await verdicts(adapter)).toEqual({ [unsettled]: "missing_at_provider" });
    expect(late.discrepancies).toBe(1);
  });

  it("counts a payment near either cut-off as settled when the neighbouring day's report has it", async () => {
    const adapter = freshAdapter();
    // 23:55 WIB on the 3rd: our clock says the 3rd, the provider booked it on the 4th.
    const lateEdge = await pay(adapter, { reference: "R-LATE-EDGE", at: new Date("2026-12-03T16:55:00Z") });
    // 00:05 WIB on the 3rd: the provider booked it on the 2nd.
    const earlyEdge = await pay(adapter, { reference: "R-EARLY-EDGE", at: new Date("2026-12-02T17:05:00Z") });
    // 22:00 and 09:00 WIB: far from a cut-off, so another day's line does not excuse them on the 3rd.
    const evening = await pay(adapter, { reference: "R-EVENING", at: new Date("2026-12-03T15:00:00Z") });
    const morning = await pay(adapter, { reference: "R-MORNING", at: new Date("2026-12-03T02:00:00Z") });
    const neighbours: Array<[string, string[]]> = [
      ["2026-12-04", ["R-LATE-EDGE", "R-EVENING"]],
      ["2026-12-02", ["R-EARLY-EDGE", "R-MORNING"]],
    ];
    for (const [date, references] of neighbours) {
      const lines = references.map((reference) => line(reference, { businessDate: date }));
      await reconciler.run({
        adapter,
        businessDate: date,
        report: report(adapter, lines, date),
        terms: TERMS,
      });
      expect(await verdicts(adapter, date)).toEqual({ "line 1": "matched", "line 2": "matched" });
    }

    await reconciler.run({ adapter, businessDate: DAY, report: report(adapter, []), terms: TERMS });
    expect(await verdicts(adapter)).toEqual({
      [lateEdge]: "matched",
      [earlyEdge]: "matched",
      [evening]: "missing_at_provider",
      [morning]: "missing_at_provider",
    });
    expect(await details(adapter)).toMatchObject({
      [lateEdge]: "settled in the report of 2026-12-04",
      [earlyEdge]: "settled in the report of 2026-12-02",
    });
  });

  it("lets one worker run an (adapter, date) at a time", async () => {
    const adapter = freshAdapter();
    const worker2 = await createReconciler({ sql: backend.other, clock: () => reconNow });
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = () => {};
    const streaming = new Promise<void>((resolve) => {
      started = resolve;
    });
    async function* held(): AsyncGenerator<SettlementLine> {
      yield line("R-1");
      started();
      await released;
      yield line("R-2");
    }
    const first = reconciler.run({
      adapter,
      businessDate: DAY,
      report: { adapter, businessDate: DAY, lines: held() },
      terms: TERMS,
    });
    await streaming;
    const second = worker2
      .run({ adapter, businessDate: DAY, report: report(adapter, [line("R-3")]), terms: TERMS })
      .then(
        (summary) => ({ summary }),
        (error: unknown) => ({ error }),
      );
    if (backend.other !== backend.sql) {
      // Postgres: refused at once while the first holds the run.
      const outcome = await second;
      expect("error" in outcome && isReconError(outcome.error) && outcome.error.code).toBe("RUN_IN_PROGRESS");
      release();
      expect((await first).attempts).toBe(1);
      expect(await verdicts(adapter)).toEqual({ "line 1": "missing_internal", "line 2": "missing_internal" });
    } else {
      // PGlite is one connection: the second waits for the first's transaction, then replaces it.
      release();
      expect((await first).attempts).toBe(1);
      const outcome = await second;
      expect("summary" in outcome && outcome.summary.attempts).toBe(2);
      expect(await verdicts(adapter)).toEqual({ "line 1": "missing_internal" });
    }
    expect((await reconciler.find(adapter, DAY))?.status).toBe("completed");
  });

  it("leaves nothing of a run killed midway, and a rerun completes", async () => {
    const adapter = freshAdapter();
    const paid = await pay(adapter, { reference: "R-1" });
    const good = [line("R-1"), line("R-2")];
    const before = await reconciler.run({
      adapter,
      businessDate: DAY,
      report: report(adapter, good),
      terms: TERMS,
    });
    const verdictsBefore = await verdicts(adapter);

    async function* dies(): AsyncGenerator<SettlementLine> {
      for (let index = 0; index < 3_000; index++) yield line(`R-NEW-${index}`);
      throw new Error("connection reset by the provider");
    }
    await expect(
      reconciler.run({
        adapter,
        businessDate: DAY,
        report: { adapter, businessDate: DAY, lines: dies() },
        terms: TERMS,
      }),
    ).rejects.toThrow(/connection reset/);

    // The earlier attempt's lines and verdicts are untouched; the run says why the last one failed.
    expect(await lineCount(adapter)).toBe(2n);
    expect(await verdicts(adapter)).toEqual(verdictsBefore);
    expect(await reconciler.find(adapter, DAY)).toMatchObject({
      status: "failed",
      attempts: 2,
      failure: "interrupted: connection reset by the provider",
      lines: before.lines,
    });

    const rerun = await reconciler.run({
      adapter,
      businessDate: DAY,
      report: report(adapter, good),
      terms: TERMS,
    });
    expect(rerun).toMatchObject({ status: "completed", attempts: 3, lines: 2 });
    expect(rerun.failure).toBeUndefined();
    expect(await verdicts(adapter)).toEqual({ "line 1": "matched", "line 2": "missing_internal" });
    expect(verdictsBefore["line 1"]).toBe("matched");
    expect(paid).toBeDefined();
  });

  it("rejects a report from another adapter or for another day, and records why", async () => {
    const adapter = freshAdapter();
    const cases: Array<[SettlementReport, RegExp]> = [
      [report("qris", [line("R-1")]), /from adapter "qris"/],
      [report(adapter, [line("R-1")], "2026-12-02"), /for "2026-12-02", not 2026-12-03/],
      [
        report(adapter, [line("R-1", { businessDate: "2026-12-02" })]),
        /no line of the report is for 2026-12-03/,
      ],
    ];
    for (const [wrong, reason] of cases) {
      const error = await reconciler
        .run({ adapter, businessDate: DAY, report: wrong, terms: TERMS })
        .catch((e) => e);
      expect(isReconError(error) && error.code).toBe("REPORT_REJECTED");
      expect(error.message).toMatch(reason);
      const run = await reconciler.find(adapter, DAY);
      expect(run?.status).toBe("failed");
      expect(run?.failure).toMatch(reason);
    }
    expect(await lineCount(adapter)).toBe(0n);
  });

  it("refuses arguments that cannot be right before writing anything", async () => {
    const adapter = freshAdapter();
    const bad: Array<[Partial<Parameters<Reconciler["run"]>[0]>, RegExp]> = [
      [{ businessDate: "2026-02-30" }, /businessDate/],
      [{ terms: { settlementLagMs: -1 } }, /settlementLagMs/],
      [{ terms: { settlementLagMs: 0, timeZone: "Mars/Olympus" } }, /timeZone/],
      [{ terms: { settlementLagMs: 0, fees: [{ currency: "IDR", ratePpm: 2_000_000 }] } }, /ratePpm/],
      [
        { terms: { settlementLagMs: 0, fees: [{ currency: "IDR", roundingUnitMinor: 0n }] } },
        /roundingUnitMinor/,
      ],
    ];
    for (const [override, message] of bad) {
      const request = { adapter, businessDate: DAY, report: report(adapter, []), terms: TERMS, ...override };
      const error = await reconciler.run(request).catch((e) => e);
      expect(isReconError(error) && error.code).toBe("INVALID_REQUEST");
      expect(error.message).toMatch(message);
    }
    expect(await reconciler.find(adapter, DAY)).toBeUndefined();
  });

  it("loads a report larger than one COPY chunk, provider text byte for byte", async () => {
    const adapter = freshAdapter();
    const awkward = 'ref "quoted", comma\nnewline\\backslash ****9876 é';
    const count = 12_000;
    async function* big(): AsyncGenerator<SettlementLine> {
      for (let index = 0; index < count; index++) {
        yield line(`R-${index}`, { rawLine: `${awkward} ${index} ${"x".repeat(400)}` });
      }
    }
    const progress: RunProgress[] = [];
    const summary = await reconciler.run({
      adapter,
      businessDate: DAY,
      report: { adapter, businessDate: DAY, lines: big(), expectedLines: () => count },
      terms: TERMS,
      onProgress: (step) => progress.push(step),
    });
    expect(summary).toMatchObject({ lines: count, unreadable: 0, classes: { missing_internal: count } });
    // Every 500 lines as they are read, once more when all are in, then matching.
    const loading = Array.from({ length: count / 500 }, (_, index) => ({
      phase: "loading",
      linesRead: (index + 1) * 500,
      expectedLines: count,
    }));
    expect(progress).toEqual([
      ...loading,
      { phase: "loading", linesRead: count, expectedLines: count },
      { phase: "matching", linesRead: count, expectedLines: count },
    ]);
    const sample = await backend.sql.query(
      `SELECT l.raw_line FROM recon_lines l JOIN recon_runs r ON r.id = l.run_id
       WHERE r.adapter = $1 AND l.line_no = 7778`,
      [adapter],
    );
    expect(sample[0]?.raw_line).toBe(`${awkward} 7777 ${"x".repeat(400)}`);
  });
});
