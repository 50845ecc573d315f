// `paymesh payments resolve` against a real router: a payment the status resolver raised for review
// is settled in the operator's name, through the router's own store (journal, outbox event), with
// the decision in the review trail; what cannot be decided is refused with its reason. PGlite, or
// Postgres when DATABASE_URL is set.
import { PaymentStatus } from "@paymesh/proto";
import { type RunningRouter, resolveRouterConfig, startRouter } from "@paymesh/router";
import { createReviewTrail, openPaymentStore, type SqlPaymentStore } from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";
import { dropTestSchema, postgresUrlForTests, uniqueTestSchema } from "@paymesh/store/testing";
import { createLogger } from "@paymesh/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPaymesh } from "../support/cli-process.ts";

const OPERATOR_TOKEN = "ops-sari-0123456789abcdef0123";
const CALLER_TOKEN = "shop-token-0123456789abcdef";
const databaseUrl = postgresUrlForTests();
const schema = databaseUrl === undefined ? undefined : uniqueTestSchema();

let store: SqlPaymentStore;
let router: RunningRouter;
const fixtures = createPaymentFixtures();

/** A QRIS payment whose outcome nobody learned, raised for review as the status resolver raises one. */
async function underReview(): Promise<string> {
  const record = fixtures.payment({ adapter: "qris", outcomeUnknown: true });
  await store.insert(record);
  await store.update(
    record.id,
    1,
    {
      resolution: undefined,
      review: { reason: "no answer from qris within 86400000 ms", since: new Date() },
    },
    "resolver",
  );
  return record.id;
}

function paymesh(args: string[], token = OPERATOR_TOKEN) {
  return runPaymesh(["payments", "resolve", ...args], {
    PAYMESH_TOKEN: token,
    PAYMESH_ROUTER_HTTP: router.httpUrl,
  });
}

beforeAll(async () => {
  store = await openPaymentStore(
    databaseUrl === undefined ? {} : { databaseUrl, ...(schema ? { schema } : {}) },
  );
  router = await startRouter(
    resolveRouterConfig({
      host: "127.0.0.1",
      grpcPort: 0,
      httpPort: 0,
      callers: { shop: CALLER_TOKEN },
      operators: { sari: OPERATOR_TOKEN },
      adapters: { qris: { address: "127.0.0.1:1" } },
      routes: { qris: ["qris"] },
    }),
    {
      store,
      reviewTrail: createReviewTrail(store.sql),
      log: createLogger({ service: "router", level: "silent" }),
    },
  );
});
afterAll(async () => {
  await router?.close();
  if (databaseUrl !== undefined && schema !== undefined) await dropTestSchema(databaseUrl, schema);
});

describe(`paymesh payments resolve against a router on ${databaseUrl ? "Postgres" : "PGlite"}`, () => {
  it("settles a payment under review in the operator's name and refuses a second decision", async () => {
    const id = await underReview();
    const refused = await paymesh(
      [id, "--status", "succeeded", "--evidence", "x", "--note", "y"],
      CALLER_TOKEN,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("401");
    const noEvidence = await paymesh([id, "--status", "succeeded", "--note", "paid"]);
    expect(noEvidence.code).toBe(2);
    expect(noEvidence.stderr).toContain("payments resolve: --evidence is required");
    const blank = await paymesh([id, "--status", "succeeded", "--evidence", " ", "--note", "paid"]);
    expect(blank.code).toBe(1);
    expect(blank.stderr).toContain("the router answered 400 MISSING_FIELD: evidence: is required");

    const settled = await paymesh([
      id,
      "--status",
      "succeeded",
      "--evidence",
      "QRIS acquirer statement 2026-12-03, RRN 334455",
      "--note",
      "paid; the acquirer never answered the status query",
    ]);
    expect(settled.code, settled.stderr).toBe(0);
    expect(settled.stdout).toMatch(
      new RegExp(`^settled ${id} as succeeded \\(was pending\\) by sari at \\d{4}-`),
    );
    const payment = await store.getById(id);
    expect(payment).toMatchObject({
      status: PaymentStatus.SUCCEEDED,
      review: undefined,
      outcomeUnknown: false,
    });
    expect((await store.journal(id)).at(-1)).toMatchObject({
      to: PaymentStatus.SUCCEEDED,
      cause: "operator",
    });
    expect(
      await store.sql.query(
        "SELECT to_status, evidence, note, actor FROM payment_review_resolutions WHERE payment_id = $1",
        [id],
      ),
    ).toEqual([
      {
        to_status: "SUCCEEDED",
        evidence: "QRIS acquirer statement 2026-12-03, RRN 334455",
        note: "paid; the acquirer never answered the status query",
        actor: "sari",
      },
    ]);
    const outbox = await store.paymentEvents(id, 0);
    expect(outbox.at(-1)).toMatchObject({ routingKey: "qris.succeeded", version: payment?.version });

    const again = await paymesh([id, "--status", "failed", "--evidence", "x", "--note", "y"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("the router answered 409 ALREADY_RESOLVED");
  });

  it("refuses a payment that is not under review, or unknown, with the reason", async () => {
    const record = fixtures.payment({ adapter: "qris" });
    await store.insert(record);
    const waiting = await paymesh([
      record.id,
      "--status",
      "failed",
      "--evidence",
      "x",
      "--note",
      "y",
      "--json",
    ]);
    expect(waiting.code).toBe(1);
    expect(waiting.stderr).toContain("the router answered 409 PAYMENT_NOT_IN_REVIEW");
    const unknown = await paymesh([
      "pay_01jz8x3v6q4n7s2m5k9r1t0w3y",
      "--status",
      "failed",
      "--evidence",
      "x",
      "--note",
      "y",
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("the router answered 404 PAYMENT_NOT_FOUND");
    const wrong = await paymesh([record.id, "--status", "canceled", "--evidence", "x", "--note", "y"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--status must be succeeded or failed, not "canceled"');
  });
});
