import { create, type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { Client, credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import { fromGrpcServiceError } from "@paymesh/adapter-kit";
import { adminv1, ErrorInfoSchema, ErrorReason, PaymentEventSchema, PaymentStatus } from "@paymesh/proto";
import {
  createReviewTrail,
  openPaymentStore,
  type ReviewTrail,
  readText,
  type SqlPaymentStore,
} from "@paymesh/store";
import { dropTestSchema, postgresUrlForTests, uniqueTestSchema } from "@paymesh/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeAdapter, never, startFakeAdapter } from "../testing/fake-adapter.ts";
import { CALLER_TOKEN, qrisRequest, startRouterFlows } from "../testing/router-flows.ts";
import { startRouterServers } from "../testing/router-servers.ts";

// Settling payments the status resolver raised for review: PaymentAdminService.ResolvePayment on
// the router's gRPC and Connect ports and POST /admin/payments/{id}/resolve, over a store whose
// payments a real resolver raised, on PGlite and (with DATABASE_URL) Postgres.

const OPERATOR = "sari";
const OPERATOR_TOKEN = "ops-sari-0123456789abcdef0123";
const SERVICE = adminv1.PaymentAdminService.typeName;
/** The amount the fake adapter never answers for; any other it takes as PROCESSING. */
const UNANSWERED = 2_500_000n;
const databaseUrl = postgresUrlForTests();

const backends: Array<[string, () => Promise<{ store: SqlPaymentStore; drop(): Promise<void> }>]> = [
  ["PGlite", async () => ({ store: await openPaymentStore(), drop: async () => {} })],
];
if (databaseUrl !== undefined) {
  backends.push([
    "Postgres",
    async () => {
      const schema = uniqueTestSchema();
      return {
        store: await openPaymentStore({ databaseUrl, schema }),
        drop: () => dropTestSchema(databaseUrl, schema),
      };
    },
  ]);
}

describe.each(backends)("settling payments raised for review on %s", (_name, open) => {
  let store: SqlPaymentStore;
  let drop: () => Promise<void>;
  let adapter: FakeAdapter;

  beforeAll(async () => {
    ({ store, drop } = await open());
    adapter = await startFakeAdapter({
      createPayment: async (request) =>
        request.amount?.minorUnits === UNANSWERED
          ? never()
          : { payment: { status: PaymentStatus.PROCESSING, providerReference: `ref-${request.paymentId}` } },
      getPaymentStatus: async () => {
        throw Object.assign(new Error("provider down"), { code: 14, details: "provider down" });
      },
    });
  });
  afterAll(async () => {
    await adapter?.close();
    await store?.close();
    await drop?.();
  });

  async function start(trail: ReviewTrail = createReviewTrail(store.sql)) {
    // Past a horizon of 0 ms, the first unanswered check raises the payment for review.
    const flows = startRouterFlows({
      store,
      adapters: { qris: adapter },
      adapterTimeoutMs: 200,
      resolver: { initialDelayMs: 0, horizonMs: 0 },
    });
    const router = await startRouterServers(flows, store, {
      operators: { [OPERATOR]: OPERATOR_TOKEN },
      reviewTrail: trail,
    });
    const client = new Client(router.grpcAddress, credentials.createInsecure());
    let keys = 0;
    const key = () => `review-${_name}-${Date.now()}-${keys++}`;
    return {
      router,
      flows,
      /** A payment whose creation got no answer, raised for review by the status resolver. */
      async reviewed(): Promise<string> {
        await expect(flows.createPayment(qrisRequest(key()))).rejects.toMatchObject({ code: 4 });
        const [unknown] = await store.listUnresolved(1);
        if (unknown === undefined) throw new Error("the unanswered payment is not listed");
        await flows.resolver.runOnce();
        const raised = await store.getById(unknown.id);
        expect(raised?.review?.reason).toContain("no answer from qris");
        expect(raised?.status).toBe(PaymentStatus.PENDING);
        return unknown.id;
      },
      /** A payment the provider took and the resolver is still chasing (not raised). */
      async waiting(): Promise<string> {
        const payment = await flows.createPayment({
          idempotencyKey: key(),
          amount: { currency: "IDR", minorUnits: 1_000_000n },
          method: { case: "qris", value: {} },
        });
        return payment.id;
      },
      resolve(
        request: Parameters<typeof create<typeof adminv1.ResolvePaymentRequestSchema>>[1],
        token = OPERATOR_TOKEN,
      ) {
        return unary(
          client,
          adminv1.ResolvePaymentRequestSchema,
          adminv1.ResolvePaymentResponseSchema,
          request,
          token,
        );
      },
      connect() {
        return createClient(
          adminv1.PaymentAdminService,
          createConnectTransport({
            baseUrl: router.httpUrl,
            httpVersion: "1.1",
            interceptors: [
              (next) => (request) => {
                request.header.set("authorization", `Bearer ${OPERATOR_TOKEN}`);
                return next(request);
              },
            ],
          }),
        );
      },
      async post(id: string, body: unknown, token = OPERATOR_TOKEN) {
        const response = await fetch(`${router.httpUrl}/admin/payments/${encodeURIComponent(id)}/resolve`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      },
      close: () => client.close(),
    };
  }

  /** What the store holds about the payment: status, review, journal, trail and outbox events. */
  async function rows(id: string) {
    const payment = await store.getById(id);
    const trail = await store.sql.query(
      "SELECT version, from_status, to_status, review_reason, evidence, note, actor FROM payment_review_resolutions WHERE payment_id = $1",
      [id],
    );
    const events = (await store.paymentEvents(id, 0)).map((event) => {
      const decoded = fromBinary(PaymentEventSchema, event.payload);
      return {
        routingKey: event.routingKey,
        status: decoded.payment?.status,
        needsReview: decoded.payment?.needsReview,
      };
    });
    return {
      status: payment?.status,
      review: payment?.review,
      resolution: payment?.resolution,
      outcomeUnknown: payment?.outcomeUnknown,
      version: payment?.version,
      failure: payment?.failure?.reason,
      journal: (await store.journal(id)).map((entry) => [
        PaymentStatus[entry.from],
        PaymentStatus[entry.to],
        entry.cause,
      ]),
      trail: trail.map((row) => ({
        version: row.version,
        from_status: row.from_status,
        to_status: row.to_status,
        // The resolver's words, cut before the timing figures in them.
        review_reason: readText(row, "review_reason").slice(0, 18),
        evidence: row.evidence,
        note: row.note,
        actor: row.actor,
      })),
      events,
    };
  }

  it("settles a reviewed payment as SUCCEEDED over gRPC: journal, outbox event and trail in the operator's name", async () => {
    const servers = await start();
    try {
      const id = await servers.reviewed();
      const answer = await servers.resolve({
        paymentId: id,
        status: PaymentStatus.SUCCEEDED,
        evidence: "  BCA statement 2026-12-03 line 41: IDR 25,000.00 ref QR123  ",
        note: "paid per the bank statement; the provider never answered",
      });
      expect(answer.ok).toBe(true);
      if (!answer.ok) return;
      expect(answer.value.payment).toMatchObject({ id, status: PaymentStatus.SUCCEEDED, needsReview: false });
      expect(answer.value.resolution).toMatchObject({
        paymentId: id,
        fromStatus: PaymentStatus.PENDING,
        status: PaymentStatus.SUCCEEDED,
        actor: OPERATOR,
        evidence: "BCA statement 2026-12-03 line 41: IDR 25,000.00 ref QR123",
      });
      const stored = await rows(id);
      expect(stored).toMatchObject({
        status: PaymentStatus.SUCCEEDED,
        review: undefined,
        resolution: undefined,
        outcomeUnknown: false,
        failure: undefined,
      });
      expect(stored.journal.at(-1)).toEqual(["PENDING", "SUCCEEDED", "operator"]);
      expect(stored.trail).toEqual([
        {
          version: stored.version,
          from_status: "PENDING",
          to_status: "SUCCEEDED",
          review_reason: "no answer from qri",
          evidence: "BCA statement 2026-12-03 line 41: IDR 25,000.00 ref QR123",
          note: "paid per the bank statement; the provider never answered",
          actor: OPERATOR,
        },
      ]);
      expect(stored.events.at(-1)).toEqual({
        routingKey: "qris.succeeded",
        status: PaymentStatus.SUCCEEDED,
        needsReview: false,
      });
      expect((await store.paymentEvents(id, 0)).at(-1)?.eventId).toBe(`${id}/${stored.version}`);

      // Decided once: a second decision is refused and writes nothing.
      const again = await servers.resolve({
        paymentId: id,
        status: PaymentStatus.FAILED,
        evidence: "x",
        note: "y",
      });
      expect(again).toEqual({ ok: false, code: 9, reason: "ALREADY_RESOLVED" });
      expect((await rows(id)).trail).toHaveLength(1);
    } finally {
      servers.close();
    }
  });

  it("refuses what cannot be decided, naming why, and writes nothing", async () => {
    const servers = await start();
    try {
      const id = await servers.reviewed();
      const before = await rows(id);
      expect(
        await servers.resolve({ paymentId: id, status: PaymentStatus.SUCCEEDED, evidence: "", note: "why" }),
      ).toEqual({ ok: false, code: 3, reason: "MISSING_FIELD", field: "evidence" });
      expect(
        await servers.resolve({ paymentId: id, status: PaymentStatus.SUCCEEDED, evidence: "ref", note: " " }),
      ).toEqual({ ok: false, code: 3, reason: "MISSING_FIELD", field: "note" });
      expect(
        await servers.resolve({
          paymentId: id,
          status: PaymentStatus.CANCELED,
          evidence: "ref",
          note: "why",
        }),
      ).toEqual({ ok: false, code: 3, reason: "INVALID_FIELD", field: "status" });
      expect(
        await servers.resolve(
          { paymentId: id, status: PaymentStatus.SUCCEEDED, evidence: "ref", note: "why" },
          CALLER_TOKEN,
        ),
      ).toEqual({ ok: false, code: 16, reason: "UNAUTHENTICATED" });
      expect(
        await servers.resolve({
          paymentId: "pay_01jz8x3v6q4n7s2m5k9r1t0w3y",
          status: PaymentStatus.SUCCEEDED,
          evidence: "ref",
          note: "why",
        }),
      ).toEqual({ ok: false, code: 5, reason: "PAYMENT_NOT_FOUND" });
      const waiting = await servers.waiting();
      expect(
        await servers.resolve({
          paymentId: waiting,
          status: PaymentStatus.SUCCEEDED,
          evidence: "ref",
          note: "why",
        }),
      ).toEqual({ ok: false, code: 9, reason: "PAYMENT_NOT_IN_REVIEW" });
      // A payment its provider settled is final: nothing for a person to decide.
      const settled = await store.getById(waiting);
      await store.update(waiting, settled?.version ?? 0, { status: PaymentStatus.SUCCEEDED }, "webhook");
      expect(
        await servers.resolve({
          paymentId: waiting,
          status: PaymentStatus.FAILED,
          evidence: "ref",
          note: "why",
        }),
      ).toEqual({ ok: false, code: 9, reason: "PAYMENT_FINAL" });
      expect(await rows(id)).toEqual(before);
      expect((await rows(waiting)).trail).toEqual([]);
    } finally {
      servers.close();
    }
  });

  it("lets one of two operators deciding at once win; the other is told ALREADY_RESOLVED", async () => {
    const servers = await start();
    try {
      const id = await servers.reviewed();
      const connect = servers.connect();
      const [overGrpc, overConnect] = await Promise.all([
        servers.resolve({
          paymentId: id,
          status: PaymentStatus.SUCCEEDED,
          evidence: "statement",
          note: "paid",
        }),
        connect
          .resolvePayment({
            paymentId: id,
            status: PaymentStatus.FAILED,
            evidence: "no funds on the statement",
            note: "not paid",
          })
          .then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          ),
      ]);
      const wins = [overGrpc.ok, overConnect.ok].filter(Boolean);
      expect(wins).toHaveLength(1);
      const lost = overGrpc.ok ? fromConnect(overConnect) : overGrpc;
      expect(lost).toEqual({ ok: false, code: 9, reason: "ALREADY_RESOLVED" });
      const stored = await rows(id);
      expect(stored.trail).toHaveLength(1);
      expect(stored.journal.filter((entry) => entry[2] === "operator")).toHaveLength(1);
      expect(stored.trail[0]?.to_status).toBe(overGrpc.ok ? "SUCCEEDED" : "FAILED");
    } finally {
      servers.close();
    }
  });

  it("settles one as FAILED over POST /admin/payments/{id}/resolve, and answers refusals with the field and reason", async () => {
    const servers = await start();
    try {
      const id = await servers.reviewed();
      expect(await servers.post(id, { status: "failed", note: "x" })).toEqual({
        status: 400,
        body: { error: "evidence: is required", reason: "MISSING_FIELD", field: "evidence" },
      });
      expect((await servers.post(id, { status: "lost", evidence: "e", note: "n" })).body).toMatchObject({
        reason: "INVALID_FIELD",
        field: "status",
      });
      expect(
        (await servers.post(id, { status: "failed", evidence: "e", note: "n" }, CALLER_TOKEN)).status,
      ).toBe(401);
      expect(
        (await servers.post("pay_01jz8x3v6q4n7s2m5k9r1t0w3y", { status: "failed", evidence: "e", note: "n" }))
          .status,
      ).toBe(404);
      const settled = await servers.post(id, {
        status: "failed",
        evidence: "Midtrans dashboard: order not found, no VA issued",
        note: "never created upstream",
      });
      expect(settled.status).toBe(201);
      expect(settled.body).toMatchObject({
        payment: {
          id,
          status: "PAYMENT_STATUS_FAILED",
          failure: { reason: "ERROR_REASON_FAILED_ON_REVIEW" },
        },
        resolution: { paymentId: id, fromStatus: "pending", status: "failed", actor: OPERATOR },
      });
      const stored = await rows(id);
      expect(stored.status).toBe(PaymentStatus.FAILED);
      expect(stored.failure).toBe(ErrorReason.FAILED_ON_REVIEW);
      expect(stored.journal.at(-1)).toEqual(["PENDING", "FAILED", "operator"]);
      expect(stored.events.at(-1)).toMatchObject({ routingKey: "qris.failed", status: PaymentStatus.FAILED });
      expect(await servers.post(id, { status: "failed", evidence: "e", note: "n" })).toMatchObject({
        status: 409,
        body: { reason: "ALREADY_RESOLVED" },
      });
    } finally {
      servers.close();
    }
  });

  it("settles nothing when the trail entry cannot be written: the decision and its trail commit together", async () => {
    // A real failure of the trail's INSERT, from the database itself, carrying a secret-looking text.
    await store.sql.query(
      `CREATE FUNCTION refuse_review_insert() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'disk full at postgres://payments:password=hunter2-secret@db:5432'; END $$`,
    );
    await store.sql.query(
      `CREATE TRIGGER refuse_review_insert BEFORE INSERT ON payment_review_resolutions
       FOR EACH ROW EXECUTE FUNCTION refuse_review_insert()`,
    );
    const servers = await start();
    try {
      const id = await servers.reviewed();
      const before = await rows(id);
      const decision = {
        paymentId: id,
        status: PaymentStatus.SUCCEEDED,
        evidence: "statement line 7",
        note: "paid",
      };
      expect(await servers.resolve(decision)).toEqual({ ok: false, code: 14, reason: "STORE_UNAVAILABLE" });
      // Nothing of the decision was written: still under review, same version, journal and events.
      expect(await rows(id)).toEqual(before);
      expect(before).toMatchObject({ status: PaymentStatus.PENDING, trail: [] });
      expect(before.review).toBeDefined();
      // The backend's words reach the log (masked), never the caller.
      expect(servers.router.rawLogs.join("")).toContain("settling a payment under review failed");
      expect(servers.router.rawLogs.join("")).toContain("disk full");
      expect(servers.router.rawLogs.join("")).not.toContain("hunter2-secret");
      // Tried again once the trail takes it.
      await store.sql.query("DROP TRIGGER refuse_review_insert ON payment_review_resolutions");
      await store.sql.query("DROP FUNCTION refuse_review_insert()");
      expect(await servers.resolve(decision)).toMatchObject({ ok: true });
      const after = await rows(id);
      expect(after.status).toBe(PaymentStatus.SUCCEEDED);
      expect(after.journal.at(-1)).toEqual(["PENDING", "SUCCEEDED", "operator"]);
      expect(after.trail).toHaveLength(1);
      expect(after.trail[0]).toMatchObject({ version: after.version, to_status: "SUCCEEDED" });
    } finally {
      await store.sql.query("DROP TRIGGER IF EXISTS refuse_review_insert ON payment_review_resolutions");
      await store.sql.query("DROP FUNCTION IF EXISTS refuse_review_insert()");
      servers.close();
    }
  });

  it("keeps the trail append-only: an UPDATE or DELETE fails whoever runs it", async () => {
    await expect(store.sql.query("UPDATE payment_review_resolutions SET note = 'rewritten'")).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(store.sql.query("DELETE FROM payment_review_resolutions")).rejects.toThrow(
      /append-only: DELETE refused/,
    );
    // The four decisions of the tests above are all still there.
    const [count] = await store.sql.query("SELECT count(*)::int AS n FROM payment_review_resolutions");
    expect(count?.n).toBe(4);
  });
});

/** A unary PaymentAdminService call over gRPC: the answer, or the status with its reason and field. */
function unary<I extends DescMessage, O extends DescMessage>(
  client: Client,
  input: I,
  output: O,
  request: Parameters<typeof create<I>>[1],
  token: string,
): Promise<
  { ok: true; value: MessageShape<O> } | { ok: false; code: number; reason: string; field?: string }
> {
  const metadata = new Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      `/${SERVICE}/ResolvePayment`,
      (message: MessageShape<I>) => Buffer.from(toBinary(input, message)),
      (bytes: Buffer) => fromBinary(output, bytes),
      create(input, request),
      metadata,
      (error: ServiceError | null, value?: MessageShape<O>) => {
        if (error === null && value !== undefined) return resolve({ ok: true, value });
        const failure = fromGrpcServiceError(error as ServiceError);
        resolve({
          ok: false,
          code: (error as ServiceError).code,
          reason: failure.reasonName,
          ...(failure.field === undefined ? {} : { field: failure.field }),
        });
      },
    );
  });
}

/** A Connect call's failure as the gRPC one reads: the code, the ErrorInfo reason. */
function fromConnect(outcome: { ok: true } | { ok: false; error: unknown }) {
  if (outcome.ok) return outcome;
  const error = outcome.error as { code: number; findDetails(desc: unknown): Array<{ reason: string }> };
  return { ok: false, code: error.code, reason: error.findDetails(ErrorInfoSchema)[0]?.reason ?? "" };
}
