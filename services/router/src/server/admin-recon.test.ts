import { createReconLedger, type ReconLedger } from "@paymesh/reconciler";
import { openPaymentStore, type SqlPaymentStore } from "@paymesh/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeAdapter } from "../testing/fake-adapter.ts";
import { RECON_DAY, reconciledDay } from "../testing/recon-day.ts";
import { CALLER_TOKEN, startRouterFlows } from "../testing/router-flows.ts";
import { startRouterServers } from "../testing/router-servers.ts";

// /admin/recon over the router's HTTP server, reading what the reconciliation engine wrote into
// the router's own embedded store.

const OPERATOR = "dewi";
const OPERATOR_TOKEN = "ops-dewi-0123456789abcdef0123";
const DAY = RECON_DAY;

let store: SqlPaymentStore;
let runId: bigint;
let unsettled: string;

beforeAll(async () => {
  const clock = { now: new Date() };
  store = await openPaymentStore({ clock: () => clock.now });
  ({ runId, unsettled } = await reconciledDay(store, clock));
});
afterAll(async () => {
  await store.close();
});

async function startAdmin(recon: ReconLedger = createReconLedger({ sql: store.sql })) {
  const adapter = await startFakeAdapter({});
  const router = await startRouterServers(startRouterFlows({ store, adapters: { va: adapter } }), store, {
    operators: { [OPERATOR]: OPERATOR_TOKEN },
    recon,
  });
  return { ...router, close: () => adapter.close() };
}

async function call(
  url: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
) {
  const response = await fetch(`${url}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${init.token ?? OPERATOR_TOKEN}`, "content-type": "application/json" },
    ...(init.body === undefined
      ? {}
      : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as never };
}

async function trailRows() {
  return store.sql.query("SELECT line_no, payment_id, class, action, actor, note FROM recon_resolutions");
}

describe("/admin/recon", () => {
  it("lists runs, shows one with totals per class, and lists its discrepancies", async () => {
    const router = await startAdmin();
    try {
      const runs = await call(router.httpUrl, "/admin/recon/runs?adapter=va");
      expect(runs.status).toBe(200);
      expect(runs.json()).toEqual({
        runs: [
          expect.objectContaining({
            runId: String(runId),
            adapter: "va",
            businessDate: DAY,
            status: "completed",
            lines: 3,
            discrepancies: 3,
          }),
        ],
      });
      const shown = await call(router.httpUrl, `/admin/recon/runs/${runId}`);
      const classes = (shown.json() as { classes: Array<{ class: string }> }).classes;
      expect(classes.find((total) => total.class === "amount_mismatch")).toEqual({
        class: "amount_mismatch",
        verdicts: 1,
        discrepancies: 1,
        open: expect.any(Number),
        amounts: [{ currency: "IDR", ourMinor: "100000", theirMinor: "90000" }],
      });
      const listed = await call(
        router.httpUrl,
        "/admin/recon/discrepancies?adapter=va&class=missing_internal",
      );
      expect(listed.json()).toEqual({
        discrepancies: [
          expect.objectContaining({
            id: `${runId}:3`,
            class: "missing_internal",
            providerReference: "R-STRANGER",
            theirAmountMinor: "5000",
          }),
        ],
        next: null,
      });
      const page = await call(router.httpUrl, `/admin/recon/discrepancies?run=${runId}&limit=1`);
      expect(page.json()).toMatchObject({ discrepancies: [{ id: `${runId}:2` }], next: `${runId}:2` });
      const after = await call(
        router.httpUrl,
        `/admin/recon/discrepancies?run=${runId}&limit=1&after=${runId}:2`,
      );
      expect(after.json()).toMatchObject({ discrepancies: [{ id: `${runId}:3` }] });
    } finally {
      await router.close();
    }
  });

  it("exports a run's verdicts as CSV and as JSON", async () => {
    const router = await startAdmin();
    try {
      const csv = await call(router.httpUrl, `/admin/recon/runs/${runId}/export?format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(csv.headers.get("content-disposition")).toContain(`recon-va-${DAY}-run${runId}.csv`);
      const rows = csv.text.trimEnd().split("\r\n");
      expect(
        rows.map((row) =>
          row
            .split(",")
            .slice(0, 1)
            .concat(row.split(",")[6] ?? ""),
        ),
      ).toEqual([
        ["id", "class"],
        [`${runId}:1`, "matched"],
        [`${runId}:2`, "amount_mismatch"],
        [`${runId}:3`, "missing_internal"],
        [`${runId}:${unsettled}`, "missing_at_provider"],
      ]);
      const json = await call(router.httpUrl, `/admin/recon/runs/${runId}/export?format=json`);
      const document = json.json() as {
        run: { runId: string };
        verdicts: Array<{ id: string; class: string }>;
      };
      expect(document.run.runId).toBe(String(runId));
      expect(document.verdicts.map((verdict) => verdict.class)).toEqual([
        "matched",
        "amount_mismatch",
        "missing_internal",
        "missing_at_provider",
      ]);
      const bad = await call(router.httpUrl, `/admin/recon/runs/${runId}/export?format=xlsx`);
      expect(bad.status).toBe(400);
      expect(bad.json()).toEqual({ error: 'format: "xlsx" is not csv or json', field: "format" });
    } finally {
      await router.close();
    }
  });

  it("appends one resolution in the operator's name, refuses a second, and refuses callers", async () => {
    const router = await startAdmin();
    try {
      const path = `/admin/recon/discrepancies/${runId}:${unsettled}/resolve`;
      const asCaller = await call(router.httpUrl, path, {
        method: "POST",
        token: CALLER_TOKEN,
        body: { action: "write-off", note: "x" },
      });
      expect(asCaller.status).toBe(401);
      expect(await trailRows()).toEqual([]);

      const resolved = await call(router.httpUrl, path, {
        method: "POST",
        body: { action: "write-off", note: "provider confirms it never received the funds" },
      });
      expect(resolved.status).toBe(201);
      expect(resolved.json()).toMatchObject({
        resolution: {
          id: `${runId}:${unsettled}`,
          class: "missing_at_provider",
          action: "write-off",
          actor: OPERATOR,
        },
      });
      expect(await trailRows()).toEqual([
        {
          line_no: null,
          payment_id: unsettled,
          class: "missing_at_provider",
          action: "write-off",
          actor: OPERATOR,
          note: "provider confirms it never received the funds",
        },
      ]);
      const again = await call(router.httpUrl, path, {
        method: "POST",
        body: { action: "accept", note: "again" },
      });
      expect(again.status).toBe(409);
      expect(again.json()).toEqual({
        error: "this missing_at_provider discrepancy has already been resolved",
      });
      expect(await trailRows()).toHaveLength(1);

      const listed = await call(router.httpUrl, "/admin/recon/discrepancies?status=resolved");
      expect(listed.json()).toMatchObject({
        discrepancies: [
          { id: `${runId}:${unsettled}`, resolution: { action: "write-off", actor: OPERATOR } },
        ],
      });
    } finally {
      await router.close();
    }
  });

  it("answers bad input with 400 naming the field, and an unknown run with 404", async () => {
    const router = await startAdmin();
    try {
      const resolve = `/admin/recon/discrepancies/${runId}:2/resolve`;
      const cases: Array<[string, { method?: string; body?: unknown }, number, string | undefined]> = [
        [resolve, { method: "POST", body: { action: "accept" } }, 400, "note"],
        [resolve, { method: "POST", body: { action: "forgive", note: "n" } }, 400, "action"],
        [resolve, { method: "POST", body: { action: "accept", note: 7 } }, 400, "note"],
        [resolve, { method: "POST", body: "{not json" }, 400, "body"],
        [
          `/admin/recon/discrepancies/${runId}:1/resolve`,
          { method: "POST", body: { action: "accept", note: "n" } },
          400,
          "id",
        ],
        [
          "/admin/recon/discrepancies/12/resolve",
          { method: "POST", body: { action: "accept", note: "n" } },
          400,
          "id",
        ],
        [
          "/admin/recon/discrepancies/999999:1/resolve",
          { method: "POST", body: { action: "accept", note: "n" } },
          404,
          undefined,
        ],
        ["/admin/recon/discrepancies?class=matched", {}, 400, "class"],
        ["/admin/recon/discrepancies?status=closed", {}, 400, "status"],
        ["/admin/recon/discrepancies?date=2026-02-30", {}, 400, "date"],
        ["/admin/recon/runs?limit=0", {}, 400, "limit"],
        ["/admin/recon/runs/abc", {}, 400, "run"],
        ["/admin/recon/runs/999999", {}, 404, undefined],
        ["/admin/recon/runs", { method: "POST" }, 405, undefined],
      ];
      for (const [path, init, status, field] of cases) {
        const answer = await call(router.httpUrl, path, init);
        expect([path, answer.status]).toEqual([path, status]);
        expect(answer.json()).toEqual(
          field === undefined
            ? { error: expect.any(String) }
            : { error: expect.stringContaining(`${field}:`), field },
        );
      }
      // None of the refused resolutions left a row.
      expect((await trailRows()).filter((row) => row.line_no !== null)).toEqual([]);
    } finally {
      await router.close();
    }
  });

  it("answers 503 when the store fails, without the store's words", async () => {
    const broken: ReconLedger = {
      ...createReconLedger({ sql: store.sql }),
      runs: async () => {
        throw new Error("connect ECONNREFUSED postgres://recon:password=hunter2-secret@db:5432");
      },
    };
    const router = await startAdmin(broken);
    try {
      const answer = await call(router.httpUrl, "/admin/recon/runs");
      expect(answer.status).toBe(503);
      expect(answer.text).not.toContain("ECONNREFUSED");
      expect(router.logs.find((entry) => entry.source === "admin")).toMatchObject({ level: "error" });
      expect(router.rawLogs.join("")).not.toContain("hunter2-secret");
    } finally {
      await router.close();
    }
  });
});
