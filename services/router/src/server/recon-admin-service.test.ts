import { create, type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { Client, credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import { fromGrpcServiceError } from "@paymesh/adapter-kit";
import { adminv1, ErrorInfoSchema } from "@paymesh/proto";
import { createReconLedger } from "@paymesh/reconciler";
import { openPaymentStore, type SqlPaymentStore } from "@paymesh/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeAdapter } from "../testing/fake-adapter.ts";
import { RECON_DAY, reconciledDay } from "../testing/recon-day.ts";
import { CALLER_TOKEN, startRouterFlows } from "../testing/router-flows.ts";
import { startRouterServers } from "../testing/router-servers.ts";

// payments.admin.v1.ReconciliationAdminService on the router's gRPC and Connect ports, over what the
// engine wrote into the router's own embedded store.

const OPERATOR = "budi";
const OPERATOR_TOKEN = "ops-budi-0123456789abcdef0123";
const SERVICE = adminv1.ReconciliationAdminService.typeName;

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

async function startServers() {
  const adapter = await startFakeAdapter({});
  const router = await startRouterServers(startRouterFlows({ store, adapters: { va: adapter } }), store, {
    operators: { [OPERATOR]: OPERATOR_TOKEN },
    recon: createReconLedger({ sql: store.sql }),
  });
  const grpcClient = new Client(router.grpcAddress, credentials.createInsecure());
  return {
    router,
    /** A unary call over gRPC: the response message, or the status with its ErrorInfo. */
    unary<I extends DescMessage, O extends DescMessage>(
      method: string,
      input: I,
      output: O,
      request: Parameters<typeof create<I>>[1],
      token = OPERATOR_TOKEN,
    ): Promise<
      { ok: true; value: MessageShape<O> } | { ok: false; code: number; reason: string; field?: string }
    > {
      const metadata = new Metadata();
      metadata.set("authorization", `Bearer ${token}`);
      return new Promise((resolve) => {
        grpcClient.makeUnaryRequest(
          `/${SERVICE}/${method}`,
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
    },
    /** ExportRun over gRPC: every page's verdicts. */
    exportRun(run: bigint): Promise<adminv1.Verdict[]> {
      const metadata = new Metadata();
      metadata.set("authorization", `Bearer ${OPERATOR_TOKEN}`);
      const stream = grpcClient.makeServerStreamRequest(
        `/${SERVICE}/ExportRun`,
        (message: adminv1.ExportRunRequest) => Buffer.from(toBinary(adminv1.ExportRunRequestSchema, message)),
        (bytes: Buffer) => fromBinary(adminv1.ExportRunResponseSchema, bytes),
        create(adminv1.ExportRunRequestSchema, { runId: run }),
        metadata,
      );
      return new Promise((resolve, reject) => {
        const verdicts: adminv1.Verdict[] = [];
        stream.on("data", (page: adminv1.ExportRunResponse) => verdicts.push(...page.verdicts));
        stream.on("error", reject);
        stream.on("end", () => resolve(verdicts));
      });
    },
    connect(token = OPERATOR_TOKEN) {
      return createClient(
        adminv1.ReconciliationAdminService,
        createConnectTransport({
          baseUrl: router.httpUrl,
          httpVersion: "1.1",
          interceptors: [
            (next) => (request) => {
              request.header.set("authorization", `Bearer ${token}`);
              return next(request);
            },
          ],
        }),
      );
    },
    async close() {
      grpcClient.close();
      await adapter.close();
    },
  };
}

async function trailRows() {
  return store.sql.query(
    "SELECT line_no, payment_id, class, action, actor, note FROM recon_resolutions ORDER BY seq",
  );
}

describe("ReconciliationAdminService over gRPC", () => {
  it("lists runs, gets one with its class totals, lists discrepancies and exports every verdict", async () => {
    const servers = await startServers();
    try {
      const runs = await servers.unary(
        "ListRuns",
        adminv1.ListRunsRequestSchema,
        adminv1.ListRunsResponseSchema,
        {
          adapter: "va",
        },
      );
      expect(
        runs.ok && runs.value.runs.map((run) => [run.runId, run.businessDate, run.status, run.discrepancies]),
      ).toEqual([[runId, RECON_DAY, adminv1.RunStatus.COMPLETED, 3n]]);

      const got = await servers.unary("GetRun", adminv1.GetRunRequestSchema, adminv1.GetRunResponseSchema, {
        runId,
      });
      const amount = got.ok
        ? got.value.run?.classes.find((total) => total.verdictClass === "amount_mismatch")
        : undefined;
      expect(amount?.amounts.map((each) => [each.currency, each.ourMinor, each.theirMinor])).toEqual([
        ["IDR", 100_000n, 90_000n],
      ]);

      const listed = await servers.unary(
        "ListDiscrepancies",
        adminv1.ListDiscrepanciesRequestSchema,
        adminv1.ListDiscrepanciesResponseSchema,
        { runId, verdictClass: "missing_internal" },
      );
      expect(
        listed.ok &&
          listed.value.discrepancies.map((each) => [each.id, each.providerReference, each.theirAmountMinor]),
      ).toEqual([[`${runId}:3`, "R-STRANGER", 5_000n]]);

      const verdicts = await servers.exportRun(runId);
      expect(verdicts.map((verdict) => [verdict.id, verdict.verdictClass])).toEqual([
        [`${runId}:1`, "matched"],
        [`${runId}:2`, "amount_mismatch"],
        [`${runId}:3`, "missing_internal"],
        [`${runId}:${unsettled}`, "missing_at_provider"],
      ]);
    } finally {
      await servers.close();
    }
  });

  it("resolves once in the operator's name, refuses a second, a caller and bad fields", async () => {
    const servers = await startServers();
    try {
      const resolve = (
        request: Parameters<typeof create<typeof adminv1.ResolveDiscrepancyRequestSchema>>[1],
        token?: string,
      ) =>
        servers.unary(
          "ResolveDiscrepancy",
          adminv1.ResolveDiscrepancyRequestSchema,
          adminv1.ResolveDiscrepancyResponseSchema,
          request,
          token,
        );
      const before = (await trailRows()).length;
      expect(
        await resolve({ id: `${runId}:3`, action: adminv1.ResolutionAction.ACCEPT, note: "x" }, CALLER_TOKEN),
      ).toMatchObject({ ok: false, code: 16, reason: "UNAUTHENTICATED" });
      expect(await resolve({ id: `${runId}:3`, action: adminv1.ResolutionAction.ACCEPT, note: "" })).toEqual({
        ok: false,
        code: 3,
        reason: "INVALID_FIELD",
        field: "note",
      });
      expect(await resolve({ id: `${runId}:3`, note: "why" })).toMatchObject({
        ok: false,
        code: 3,
        field: "action",
      });
      expect(await resolve({ id: "3", action: adminv1.ResolutionAction.ACCEPT, note: "why" })).toMatchObject({
        ok: false,
        code: 3,
        field: "id",
      });
      expect(
        await resolve({ id: "999999:1", action: adminv1.ResolutionAction.ACCEPT, note: "why" }),
      ).toMatchObject({
        ok: false,
        code: 5,
        reason: "RECON_NOT_FOUND",
      });
      expect((await trailRows()).length).toBe(before);

      const done = await resolve({
        id: `${runId}:3`,
        action: adminv1.ResolutionAction.WRITE_OFF,
        note: "no such sale; the acquirer will claw it back",
      });
      expect(done.ok && done.value.resolution).toMatchObject({
        id: `${runId}:3`,
        verdictClass: "missing_internal",
        action: adminv1.ResolutionAction.WRITE_OFF,
        actor: OPERATOR,
      });
      expect((await trailRows()).slice(before)).toEqual([
        {
          line_no: 3,
          payment_id: null,
          class: "missing_internal",
          action: "write-off",
          actor: OPERATOR,
          note: "no such sale; the acquirer will claw it back",
        },
      ]);
      expect(
        await resolve({ id: `${runId}:3`, action: adminv1.ResolutionAction.ACCEPT, note: "again" }),
      ).toMatchObject({ ok: false, code: 9, reason: "ALREADY_RESOLVED" });
      expect((await trailRows()).length).toBe(before + 1);

      const badClass = await servers.unary(
        "ListDiscrepancies",
        adminv1.ListDiscrepanciesRequestSchema,
        adminv1.ListDiscrepanciesResponseSchema,
        { verdictClass: "matched" },
      );
      expect(badClass).toMatchObject({ ok: false, code: 3, reason: "INVALID_FIELD", field: "verdict_class" });
    } finally {
      await servers.close();
    }
  });
});

describe("ReconciliationAdminService over Connect", () => {
  it("answers the same operations, with the same refusals and ErrorInfo", async () => {
    const servers = await startServers();
    try {
      const client = servers.connect();
      const { discrepancies } = await client.listDiscrepancies({
        runId,
        status: adminv1.DiscrepancyStatus.OPEN,
        verdictClass: "amount_mismatch",
      });
      expect(discrepancies.map((each) => [each.id, each.ourAmountMinor, each.theirAmountMinor])).toEqual([
        [`${runId}:2`, 100_000n, 90_000n],
      ]);
      const before = (await trailRows()).length;
      const { resolution } = await client.resolveDiscrepancy({
        id: `${runId}:2`,
        action: adminv1.ResolutionAction.ADJUST,
        note: "credited in batch B-2",
      });
      expect(resolution).toMatchObject({ verdictClass: "amount_mismatch", actor: OPERATOR });
      expect((await trailRows()).length).toBe(before + 1);

      const verdicts: string[] = [];
      for await (const page of client.exportRun({ runId }))
        verdicts.push(...page.verdicts.map((each) => each.id));
      expect(verdicts).toHaveLength(4);

      const refusal = await client.listRuns({ fromDate: "2026-13-01" }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(ConnectError);
      const connectError = refusal as ConnectError;
      expect(connectError.code).toBe(Code.InvalidArgument);
      const info = connectError.findDetails(ErrorInfoSchema)[0];
      expect(info).toMatchObject({ reason: "INVALID_FIELD", metadata: { field: "from_date" } });

      const asCaller = await servers
        .connect(CALLER_TOKEN)
        .getRun({ runId })
        .catch((error: unknown) => error);
      expect((asCaller as ConnectError).code).toBe(Code.Unauthenticated);
    } finally {
      await servers.close();
    }
  });
});
