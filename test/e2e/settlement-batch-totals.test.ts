// A batch's declared totals judged like with like, for every adapter whose report declares them
// (the QRIS acquirer's file trailer, Midtrans's report summary): the real adapter reads its
// simulator's report over gRPC, the engine loads it and compares the trailer with the signed sums
// of the lines. A day with money given back is no batch discrepancy; a wrong trailer is exactly one.
// Real Postgres when DATABASE_URL is set, else PGlite.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { type AdapterHarness, newPaymentId, startAdapterHarness } from "@paymesh/adapter-kit/testing";
import { createQrisProvider, createSnapQrClient, loadConfig } from "@paymesh/adapter-qris";
import { adapterEnv, createQrisSimulator, type QrisSimulator } from "@paymesh/adapter-qris/sandbox";
import { createMidtransClient, createMidtransVaProvider } from "@paymesh/adapter-va";
import { createVaSimulator, simulatorDefaults, type VaSimulator } from "@paymesh/adapter-va/sandbox";
import { type adapterv1, PaymentStatus, VirtualAccountBank } from "@paymesh/proto";
import { createReconciler, createReportSource, type SettlementTerms } from "@paymesh/reconciler";
import {
  createPgliteSqlClient,
  createPgSqlClient,
  createSqlPaymentStore,
  type SqlClient,
} from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";
import { dropTestSchema, postgresUrlForTests, uniqueTestSchema } from "@paymesh/store/testing";
import { createTestClock, type TestClock } from "@paymesh/test-kit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const databaseUrl = postgresUrlForTests();
const DAY = "2026-12-03";
const DAY_MS = 24 * 60 * 60 * 1000;
// 10:00 WIB on the day; the run is judged after its end plus a T+1 lag.
const MORNING = new Date("2026-12-03T03:00:00Z");
const AFTER_LAG = new Date("2026-12-05T00:00:00Z");

/** One adapter whose report declares batch totals: how to start it, pay through it, price it. */
interface TotalsAdapter {
  name: string;
  provider: string;
  start(clock: TestClock): Promise<AdapterHarness<{ close(): Promise<void> }>>;
  method: NonNullable<MessageInitShape<typeof adapterv1.CreatePaymentRequestSchema>["method"]>;
  /** The customer pays `paymentId` at the simulator. */
  pay(simulator: unknown, paymentId: string): Promise<void>;
  terms: SettlementTerms;
}

const ADAPTERS: TotalsAdapter[] = [
  {
    name: "qris",
    provider: "snap-qris",
    start: (clock) =>
      startAdapterHarness(
        () => createQrisSimulator({ clock: clock.now }),
        (simulator) =>
          createQrisProvider({
            client: createSnapQrClient({ ...loadConfig(adapterEnv(simulator.url)).snap, clock: clock.now }),
            bankPublicKey: loadConfig(adapterEnv(simulator.url)).bankPublicKey,
            version: "test",
            clock: clock.now,
          }),
      ),
    method: { case: "qris", value: { terminalLabel: "KASIR-01" } },
    pay: async (simulator, paymentId) => {
      await (simulator as QrisSimulator).pay({ partnerReferenceNo: paymentId });
    },
    // 0.7% MDR and PPN 11% on it, rounded down to the rupiah: exact on the amounts below.
    terms: { settlementLagMs: DAY_MS, fees: [{ currency: "IDR", ratePpm: 7_000, taxPpm: 110_000 }] },
  },
  {
    name: "va",
    provider: "midtrans",
    start: (clock) =>
      startAdapterHarness(
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
      ),
    method: { case: "virtualAccount", value: { bank: VirtualAccountBank.BCA } },
    pay: async (simulator, paymentId) => {
      await (simulator as VaSimulator).pay(paymentId);
    },
    // Rp4.000 per VA and PPN 11% on it.
    terms: { settlementLagMs: DAY_MS, fees: [{ currency: "IDR", flatMinor: 400_000n, taxPpm: 110_000 }] },
  },
];

describe.each(ADAPTERS)(
  `$name's declared batch totals on ${databaseUrl ? "Postgres" : "PGlite"}`,
  (adapter) => {
    const clock = createTestClock(MORNING);
    const fixtures = createPaymentFixtures();
    let sql: SqlClient;
    let dispose: () => Promise<void>;
    let harness: AdapterHarness<{ close(): Promise<void> }>;
    let storeNow = MORNING;

    beforeEach(async () => {
      clock.set(MORNING);
      if (databaseUrl === undefined) {
        sql = await createPgliteSqlClient();
        dispose = () => sql.close();
      } else {
        const schema = uniqueTestSchema();
        sql = createPgSqlClient({ databaseUrl, schema });
        dispose = async () => {
          await sql.close();
          await dropTestSchema(databaseUrl, schema);
        };
      }
      harness = await adapter.start(clock);
    });
    afterEach(async () => {
      await harness.close();
      await dispose();
    });

    /** Payments of `rupiah` paid through the adapter and its simulator, recorded SUCCEEDED in our store. */
    async function paidPayments(rupiahs: readonly bigint[]): Promise<string[]> {
      const store = await createSqlPaymentStore({ sql, clock: () => storeNow });
      const ids: string[] = [];
      for (const rupiah of rupiahs) {
        const paymentId = newPaymentId();
        const amount = { currency: "IDR", minorUnits: rupiah * 100n };
        const created = await harness.client.createPayment(
          { paymentId, amount, method: adapter.method },
          { deadline: new Date(Date.now() + 10_000) },
        );
        await adapter.pay(harness.simulator, paymentId);
        storeNow = clock.now();
        await store.insert(
          fixtures.payment({
            id: paymentId,
            adapter: adapter.name,
            providerReference: created.payment?.providerReference ?? "",
            amount,
            createdAt: clock.now(),
            updatedAt: clock.now(),
          }),
        );
        await store.update(paymentId, 1, { status: PaymentStatus.SUCCEEDED }, "webhook");
        clock.advance(60_000);
        ids.push(paymentId);
      }
      return ids;
    }

    async function setUpReport(discrepancies: unknown[]): Promise<void> {
      const answer = await fetch(
        `${(harness.simulator as unknown as { url: string }).url}/sim/settlement-report`,
        {
          method: "POST",
          body: JSON.stringify({ date: DAY, discrepancies }),
        },
      );
      expect(answer.status).toBe(200);
    }

    /** Runs the day through the engine; its verdict counts as the store holds them, and the batch's detail. */
    async function reconcile() {
      const source = createReportSource({
        adapters: { [adapter.name]: { address: harness.adapter.address, provider: adapter.provider } },
      });
      try {
        const reconciler = await createReconciler({ sql, clock: () => AFTER_LAG });
        const summary = await reconciler.run({
          adapter: adapter.name,
          businessDate: DAY,
          report: source.report(adapter.name, DAY),
          terms: adapter.terms,
        });
        const batch = await sql.query(
          `SELECT v.class, v.detail, l.gross_minor, l.net_minor, l.line_count FROM recon_verdicts v
         JOIN recon_lines l ON l.run_id = v.run_id AND l.line_no = v.line_no
         WHERE v.run_id = $1 AND l.kind = 'batch_total'`,
          [String(summary.runId)],
        );
        const discrepant = Object.entries(summary.classes).filter(([name, n]) => name !== "matched" && n > 0);
        return { summary, discrepant: Object.fromEntries(discrepant), batch };
      } finally {
        source.close();
      }
    }

    it("a day with a refund and money taken back is no batch discrepancy: the trailer nets them out", async () => {
      const [, refunded, reversed] = await paidPayments([200_000n, 300_000n, 400_000n]);
      await setUpReport([
        { class: "refund-without-record", target: refunded, amount: 10_000_000 },
        { class: "reversal-without-record", target: reversed },
      ]);
      clock.set(AFTER_LAG);
      const { summary, discrepant, batch } = await reconcile();
      expect(summary.status).toBe("completed");
      // Only the two lines Paymesh has no record of; the batch total matches.
      expect(discrepant).toEqual({ unrecorded_refund: 2 });
      expect(batch).toHaveLength(1);
      expect(batch[0]?.class).toBe("matched");
      // Rp900.000 in, Rp100.000 refunded and Rp400.000 taken back: Rp400.000 gross, in 5 lines.
      expect([String(batch[0]?.gross_minor), String(batch[0]?.line_count)]).toEqual(["40000000", "5"]);
    });

    it("a wrong trailer on the same day is exactly one batch discrepancy, saying by how much", async () => {
      const [, refunded] = await paidPayments([200_000n, 300_000n]);
      await setUpReport([
        { class: "refund-without-record", target: refunded },
        { class: "batch-total-wrong", delta: 700 },
      ]);
      clock.set(AFTER_LAG);
      const { discrepant, batch } = await reconcile();
      expect(discrepant).toEqual({ unrecorded_refund: 1, batch_total_mismatch: 1 });
      // Rp500.000 in, Rp300.000 back: Rp200.000 of lines against a trailer 700 sen over.
      expect(batch[0]?.detail).toMatch(
        /^stated gross 20000700 net -?\d+ in 3 lines; the lines add up to gross 20000000 /,
      );
    });

    it("an unreadable line stays in its batch's count, and a mismatch names it", async () => {
      const [, garbled] = await paidPayments([200_000n, 300_000n]);
      await setUpReport([{ class: "unreadable-line", target: garbled }]);
      clock.set(AFTER_LAG);
      const { summary, batch } = await reconcile();
      expect(summary.unreadable).toBe(1);
      // The trailer counts the line the provider wrote; its Rp300.000 cannot be summed.
      expect(batch[0]?.class).toBe("batch_total_mismatch");
      expect(batch[0]?.detail).toMatch(
        /^stated gross 50000000 net \d+ in 2 lines; the lines add up to gross 20000000 net \d+ in 1 lines IDR, leaving out 1 unreadable lines of the batch$/,
      );
    });
  },
);
