import type { create, MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { isPaymeshError, PaymeshError } from "@paymesh/adapter-kit";
import { adminv1, ErrorReason } from "@paymesh/proto";
import {
  DEFAULT_RECON_LIMIT,
  type DiscrepancyFilter,
  isReconError,
  type ReconLedger,
  type Resolution,
  type ResolutionAction,
  RUN_STATUS_NUMBERS,
  type RunFilter,
  runMessage,
  type VerdictRow,
  verdictId,
} from "@paymesh/reconciler";
import type { Logger } from "@paymesh/telemetry";

type Shape<S extends Parameters<typeof create>[0]> = MessageInitShape<S>;

/** Verdicts per ExportRun message: a few hundred KiB, well under gRPC's 4 MiB default. */
const EXPORT_BATCH = 500;

const ACTIONS: Record<number, ResolutionAction> = {
  [adminv1.ResolutionAction.ACCEPT]: "accept",
  [adminv1.ResolutionAction.WRITE_OFF]: "write-off",
  [adminv1.ResolutionAction.ADJUST]: "adjust",
};

// The ledger names fields as the HTTP API's query does; the request messages name them so.
const FIELD_NAMES: Record<string, string> = {
  run: "run_id",
  date: "business_date",
  class: "verdict_class",
  from: "from_date",
  to: "to_date",
};

/**
 * ReconciliationAdminService's operations, whatever the transport (grpc-server.ts and the Connect
 * routes in http-server.ts call these after authenticating an operator). Messages in, messages
 * out; every failure is a PaymeshError: bad input INVALID_ARGUMENT naming the request's field, no
 * such run or verdict NOT_FOUND, a second decision FAILED_PRECONDITION, the store down UNAVAILABLE
 * (its words only in the log).
 */
export function createReconAdminService(options: { ledger: ReconLedger | undefined; log: Logger }) {
  const { log } = options;
  const ledgerOf = (): ReconLedger => {
    if (options.ledger === undefined) {
      throw new PaymeshError(ErrorReason.NOT_IMPLEMENTED, "this router's store keeps no reconciliation runs");
    }
    return options.ledger;
  };
  /** Runs `work`, turning the ledger's errors into PaymeshErrors. */
  const answer = async <T>(method: string, work: (ledger: ReconLedger) => Promise<T>): Promise<T> => {
    try {
      return await work(ledgerOf());
    } catch (error) {
      throw publicReconError(error, method, log);
    }
  };

  return {
    listRuns: (request: adminv1.ListRunsRequest): Promise<Shape<typeof adminv1.ListRunsResponseSchema>> =>
      answer("ListRuns", async (ledger) => {
        const filter: RunFilter = {};
        if (request.adapter !== "") filter.adapter = request.adapter;
        if (request.status !== adminv1.RunStatus.UNSPECIFIED) {
          const name = Object.keys(RUN_STATUS_NUMBERS).find(
            (key) => RUN_STATUS_NUMBERS[key] === request.status,
          );
          filter.status = name ?? String(request.status);
        }
        if (request.fromDate !== "") filter.from = request.fromDate;
        if (request.toDate !== "") filter.to = request.toDate;
        if (request.limit !== 0) filter.limit = request.limit;
        return { runs: (await ledger.runs(filter)).map(runMessage) };
      }),

    getRun: (request: adminv1.GetRunRequest): Promise<Shape<typeof adminv1.GetRunResponseSchema>> =>
      answer("GetRun", async (ledger) => {
        const run = await ledger.run(request.runId);
        if (run === undefined) {
          throw new PaymeshError(ErrorReason.RECON_NOT_FOUND, `there is no run ${request.runId}`);
        }
        return { run: runMessage(run) };
      }),

    listDiscrepancies: (
      request: adminv1.ListDiscrepanciesRequest,
    ): Promise<Shape<typeof adminv1.ListDiscrepanciesResponseSchema>> =>
      answer("ListDiscrepancies", async (ledger) => {
        const filter: DiscrepancyFilter = {};
        if (request.runId !== 0n) filter.run = request.runId;
        if (request.adapter !== "") filter.adapter = request.adapter;
        if (request.businessDate !== "") filter.date = request.businessDate;
        if (request.verdictClass !== "") filter.class = request.verdictClass;
        if (request.status === adminv1.DiscrepancyStatus.OPEN) filter.status = "open";
        else if (request.status === adminv1.DiscrepancyStatus.RESOLVED) filter.status = "resolved";
        else if (request.status !== adminv1.DiscrepancyStatus.UNSPECIFIED)
          filter.status = String(request.status);
        if (request.limit !== 0) filter.limit = request.limit;
        if (request.after !== "") filter.after = request.after;
        const found = await ledger.discrepancies(filter);
        const last = found.at(-1);
        const full = found.length === (filter.limit ?? DEFAULT_RECON_LIMIT);
        return {
          discrepancies: found.map(verdictMessage),
          nextAfter: full && last !== undefined ? last.id : "",
        };
      }),

    resolveDiscrepancy: (
      operator: string,
      request: adminv1.ResolveDiscrepancyRequest,
    ): Promise<Shape<typeof adminv1.ResolveDiscrepancyResponseSchema>> =>
      answer("ResolveDiscrepancy", async (ledger) => {
        const action = ACTIONS[request.action];
        if (action === undefined) {
          throw new PaymeshError(ErrorReason.INVALID_FIELD, "action: must be ACCEPT, WRITE_OFF or ADJUST", {
            field: "action",
          });
        }
        const resolution = await ledger.resolve({
          id: request.id,
          action,
          note: request.note,
          actor: operator,
        });
        return { resolution: resolutionMessage(resolution) };
      }),

    async *exportRun(
      request: adminv1.ExportRunRequest,
    ): AsyncGenerator<Shape<typeof adminv1.ExportRunResponseSchema>> {
      const ledger = await answer("ExportRun", async (ledger) => {
        if ((await ledger.run(request.runId)) === undefined) {
          throw new PaymeshError(ErrorReason.RECON_NOT_FOUND, `there is no run ${request.runId}`);
        }
        return ledger;
      });
      let batch: Shape<typeof adminv1.VerdictSchema>[] = [];
      try {
        for await (const verdict of ledger.verdicts(request.runId)) {
          batch.push(verdictMessage(verdict));
          if (batch.length === EXPORT_BATCH) {
            yield { verdicts: batch };
            batch = [];
          }
        }
      } catch (error) {
        throw publicReconError(error, "ExportRun", log);
      }
      if (batch.length > 0) yield { verdicts: batch };
    },
  };
}

/** The service's operations; see createReconAdminService. */
export type ReconAdminService = ReturnType<typeof createReconAdminService>;

/**
 * The one mapping of the ledger's failures to what a caller sees. A failure that is neither the
 * ledger's nor already public is the store's: UNAVAILABLE, and its text (which may name a host or
 * a password) goes to the log only.
 */
function publicReconError(error: unknown, method: string, log: Logger): PaymeshError {
  if (isPaymeshError(error)) return error;
  if (isReconError(error)) {
    switch (error.code) {
      case "INVALID_REQUEST": {
        const field = error.field === undefined ? undefined : (FIELD_NAMES[error.field] ?? error.field);
        return new PaymeshError(
          ErrorReason.INVALID_FIELD,
          error.message,
          field === undefined ? {} : { field },
        );
      }
      case "NOT_FOUND":
        return new PaymeshError(ErrorReason.RECON_NOT_FOUND, error.message);
      case "ALREADY_RESOLVED":
        return new PaymeshError(ErrorReason.ALREADY_RESOLVED, error.message);
      default:
        break;
    }
  }
  log.error({ source: "admin", method, err: error }, "reconciliation admin call failed");
  return new PaymeshError(
    ErrorReason.STORE_UNAVAILABLE,
    "the reconciliation store is unavailable; retry later",
  );
}

function verdictMessage(verdict: VerdictRow): Shape<typeof adminv1.VerdictSchema> {
  return {
    id: verdict.id,
    runId: verdict.runId,
    adapter: verdict.adapter,
    businessDate: verdict.businessDate,
    lineNo: verdict.lineNo ?? 0,
    paymentId: verdict.paymentId ?? "",
    verdictClass: verdict.class,
    discrepancy: verdict.discrepancy,
    type: verdict.type ?? "",
    providerReference: verdict.providerReference ?? "",
    currency: verdict.currency ?? "",
    ...(verdict.ourAmountMinor === undefined ? {} : { ourAmountMinor: verdict.ourAmountMinor }),
    ...(verdict.theirAmountMinor === undefined ? {} : { theirAmountMinor: verdict.theirAmountMinor }),
    detail: verdict.detail ?? "",
    ...(verdict.resolution === undefined
      ? {}
      : {
          resolution: {
            seq: verdict.resolution.seq,
            id: verdict.id,
            verdictClass: verdict.class,
            action: actionNumber(verdict.resolution.action),
            actor: verdict.resolution.actor,
            note: verdict.resolution.note,
            at: timestampFromDate(verdict.resolution.at),
          },
        }),
  };
}

function resolutionMessage(resolution: Resolution): Shape<typeof adminv1.ResolutionSchema> {
  return {
    seq: resolution.seq,
    id: verdictId(resolution),
    verdictClass: resolution.verdictClass,
    action: actionNumber(resolution.action),
    actor: resolution.actor,
    note: resolution.note,
    at: timestampFromDate(resolution.at),
  };
}

function actionNumber(action: ResolutionAction): adminv1.ResolutionAction {
  const entry = Object.entries(ACTIONS).find(([, name]) => name === action);
  return entry === undefined
    ? adminv1.ResolutionAction.UNSPECIFIED
    : (Number(entry[0]) as adminv1.ResolutionAction);
}
