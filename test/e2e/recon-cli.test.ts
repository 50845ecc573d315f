// The recon commands against a real router whose store the reconciliation engine has written:
// `paymesh recon list|show|discrepancies|resolve|export` read back what the engine found, and a
// resolution lands in the trail in the operator's name.
import { PaymentStatus } from "@paymesh/proto";
import { createReconciler, createReconLedger } from "@paymesh/reconciler";
import { type RunningRouter, resolveRouterConfig, startRouter } from "@paymesh/router";
import { openPaymentStore, type SqlPaymentStore } from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";
import { createLogger } from "@paymesh/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPaymesh } from "../support/cli-process.ts";

const OPERATOR_TOKEN = "ops-sari-0123456789abcdef0123";
const CALLER_TOKEN = "shop-token-0123456789abcdef";
const DAY = "2026-12-03";
const MIDDAY = new Date("2026-12-03T05:00:00Z");

let store: SqlPaymentStore;
let router: RunningRouter;
let runId: string;
let storeNow = MIDDAY;

beforeAll(async () => {
  store = await openPaymentStore({ clock: () => storeNow });
  const fixtures = createPaymentFixtures();
  for (const reference of ["R-OK", "R-SHORT"]) {
    const record = fixtures.payment({
      adapter: "va",
      providerReference: reference,
      amount: { currency: "IDR", minorUnits: 2_500_000n },
      createdAt: new Date(MIDDAY.getTime() - 60_000),
      updatedAt: new Date(MIDDAY.getTime() - 60_000),
    });
    storeNow = record.createdAt;
    await store.insert(record);
    storeNow = MIDDAY;
    await store.update(record.id, 1, { status: PaymentStatus.SUCCEEDED }, "webhook");
  }
  const reconciler = await createReconciler({
    sql: store.sql,
    clock: () => new Date("2026-12-05T00:00:00Z"),
  });
  const line = (reference: string, gross: bigint) => ({
    kind: "transaction" as const,
    type: "payment" as const,
    providerReference: reference,
    currency: "IDR",
    businessDate: DAY,
    settledAt: new Date("2026-12-04T02:00:00Z"),
    batchId: "B-1",
    providerStatus: "SETTLED",
    rawLine: reference,
    gross,
    providerFee: 0n,
    tax: 0n,
    net: gross,
  });
  async function* lines() {
    yield line("R-OK", 2_500_000n);
    yield line("R-SHORT", 2_400_000n);
  }
  const summary = await reconciler.run({
    adapter: "va",
    businessDate: DAY,
    report: { adapter: "va", businessDate: DAY, lines: lines() },
    terms: { settlementLagMs: 86_400_000 },
  });
  runId = String(summary.runId);
  router = await startRouter(
    resolveRouterConfig({
      host: "127.0.0.1",
      grpcPort: 0,
      httpPort: 0,
      callers: { shop: CALLER_TOKEN },
      operators: { sari: OPERATOR_TOKEN },
      adapters: { va: { address: "127.0.0.1:1" } },
      routes: { virtual_account: ["va"] },
    }),
    {
      store,
      recon: createReconLedger({ sql: store.sql }),
      log: createLogger({ service: "router", level: "silent" }),
    },
  );
});
afterAll(async () => {
  await router?.close();
});

function paymesh(args: string[], token = OPERATOR_TOKEN) {
  return runPaymesh(args, { PAYMESH_TOKEN: token, PAYMESH_ROUTER_HTTP: router.httpUrl });
}

describe("paymesh recon", () => {
  it("lists the run and shows its totals per class", async () => {
    const list = await paymesh(["recon", "list"]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split("\n").slice(0, 2)).toEqual([
      expect.stringMatching(/^RUN\s+ADAPTER\s+DATE\s+STATUS\s+LINES\s+UNREADABLE\s+DISCREPANCIES\s+OPEN$/),
      expect.stringMatching(new RegExp(`^${runId}\\s+va\\s+${DAY}\\s+completed\\s+2\\s+0\\s+1\\s+1$`)),
    ]);
    const json = await paymesh(["recon", "list", "--json", "--adapter", "va"]);
    expect(JSON.parse(json.stdout)).toEqual({ runs: [expect.objectContaining({ runId, discrepancies: 1 })] });

    const show = await paymesh(["recon", "show", runId]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(`run ${runId}: va ${DAY}, completed after 1 attempt(s)`);
    expect(show.stdout).toMatch(/amount_mismatch\s+1\s+1\s+1\s+25000\.00 IDR\s+24000\.00 IDR/);
    expect(show.stdout).toMatch(/matched\s+1\s+0\s+0\s+25000\.00 IDR\s+25000\.00 IDR/);
  });

  it("lists discrepancies, resolves one in the operator's name, and refuses a second", async () => {
    const open = await paymesh(["recon", "discrepancies", "--status", "open", "--adapter", "va"]);
    expect(open.code, open.stderr).toBe(0);
    expect(open.stdout).toMatch(
      new RegExp(
        `^${runId}:2\\s+va\\s+${DAY}\\s+amount_mismatch\\s+25000\\.00 IDR\\s+24000\\.00 IDR\\s+open\\s+ours`,
        "m",
      ),
    );

    const refused = await paymesh(
      ["recon", "resolve", `${runId}:2`, "--action", "accept", "--note", "x"],
      CALLER_TOKEN,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("401");
    const missingNote = await paymesh(["recon", "resolve", `${runId}:2`, "--action", "accept"]);
    expect(missingNote.code).toBe(2);
    expect(missingNote.stderr).toContain("--note is required");
    const badAction = await paymesh(["recon", "resolve", `${runId}:2`, "--action", "forgive", "--note", "x"]);
    expect(badAction.code).toBe(1);
    expect(badAction.stderr).toContain('action: "forgive" is not one of accept, write-off, adjust');

    const resolved = await paymesh([
      "recon",
      "resolve",
      `${runId}:2`,
      "--action",
      "adjust",
      "--note",
      "short by 1,000 IDR: credited in the next batch",
      "--json",
    ]);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(JSON.parse(resolved.stdout)).toMatchObject({
      resolution: { id: `${runId}:2`, class: "amount_mismatch", action: "adjust", actor: "sari" },
    });
    const trail = await store.sql.query("SELECT line_no, action, actor, note FROM recon_resolutions");
    expect(trail).toEqual([
      { line_no: 2, action: "adjust", actor: "sari", note: "short by 1,000 IDR: credited in the next batch" },
    ]);
    const again = await paymesh(["recon", "resolve", `${runId}:2`, "--action", "accept", "--note", "again"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("409");
    expect(await store.sql.query("SELECT seq FROM recon_resolutions")).toHaveLength(1);

    const resolvedList = await paymesh(["recon", "discrepancies", "--status", "resolved", "--json"]);
    expect(JSON.parse(resolvedList.stdout)).toMatchObject({
      discrepancies: [{ id: `${runId}:2`, resolution: { action: "adjust", actor: "sari" } }],
    });
    const badClass = await paymesh(["recon", "discrepancies", "--class", "weird"]);
    expect(badClass.code).toBe(1);
    expect(badClass.stderr).toContain('class: "weird" is not one of');
  });

  it("exports the run as CSV and as JSON", async () => {
    const csv = await paymesh(["recon", "export", runId, "--format", "csv"]);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.trimEnd().split(/\r?\n/);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^id,run_id,adapter,business_date,line_no,payment_id,class,discrepancy,/);
    expect(rows[2]).toContain(`${runId}:2,${runId},va,${DAY},2,`);
    expect(rows[2]).toContain(",amount_mismatch,true,payment,R-SHORT,IDR,2500000,2400000,");
    const json = await paymesh(["recon", "export", runId, "--json"]);
    const document = JSON.parse(json.stdout) as {
      run: { runId: string };
      verdicts: Array<{ class: string }>;
    };
    expect(document.run.runId).toBe(runId);
    expect(document.verdicts.map((verdict) => verdict.class)).toEqual(["matched", "amount_mismatch"]);
    const unknown = await paymesh(["recon", "export", "999999"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("there is no run 999999");
  });
});
