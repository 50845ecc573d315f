import type { RunDetail, RunRow, VerdictRow } from "./recon-ledger.ts";

/** A verdict as JSON: int64 amounts as decimal strings, times as ISO 8601, absent fields null. */
export interface VerdictJson {
  id: string;
  runId: string;
  adapter: string;
  businessDate: string;
  lineNo: number | null;
  paymentId: string | null;
  class: string;
  discrepancy: boolean;
  type: string | null;
  providerReference: string | null;
  currency: string | null;
  ourAmountMinor: string | null;
  theirAmountMinor: string | null;
  detail: string | null;
  resolution: { seq: string; action: string; actor: string; note: string; at: string } | null;
}

/** The export's CSV columns, in order: a verdict's fields flattened, its resolution last. */
export const EXPORT_COLUMNS = [
  "id",
  "run_id",
  "adapter",
  "business_date",
  "line_no",
  "payment_id",
  "class",
  "discrepancy",
  "type",
  "provider_reference",
  "currency",
  "our_amount_minor",
  "their_amount_minor",
  "detail",
  "resolution_action",
  "resolved_by",
  "resolved_at",
  "resolution_note",
] as const;

/** One verdict in its JSON shape. */
export function verdictJson(verdict: VerdictRow): VerdictJson {
  const { resolution } = verdict;
  return {
    id: verdict.id,
    runId: String(verdict.runId),
    adapter: verdict.adapter,
    businessDate: verdict.businessDate,
    lineNo: verdict.lineNo ?? null,
    paymentId: verdict.paymentId ?? null,
    class: verdict.class,
    discrepancy: verdict.discrepancy,
    type: verdict.type ?? null,
    providerReference: verdict.providerReference ?? null,
    currency: verdict.currency ?? null,
    ourAmountMinor: verdict.ourAmountMinor?.toString() ?? null,
    theirAmountMinor: verdict.theirAmountMinor?.toString() ?? null,
    detail: verdict.detail ?? null,
    resolution:
      resolution === undefined
        ? null
        : {
            seq: String(resolution.seq),
            action: resolution.action,
            actor: resolution.actor,
            note: resolution.note,
            at: resolution.at.toISOString(),
          },
  };
}

/** A run as JSON (with its classes when it is a RunDetail), in the same conventions as verdictJson. */
export function runJson(run: RunRow | RunDetail): Record<string, unknown> {
  return {
    runId: String(run.runId),
    adapter: run.adapter,
    businessDate: run.businessDate,
    status: run.status,
    attempts: run.attempts,
    failure: run.failure ?? null,
    lines: run.lines,
    unreadable: run.unreadable,
    discrepancies: run.discrepancies,
    open: run.open,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    ...("classes" in run
      ? {
          classes: run.classes.map((total) => ({
            ...total,
            amounts: total.amounts.map((amount) => ({
              currency: amount.currency,
              ourMinor: String(amount.ourMinor),
              theirMinor: String(amount.theirMinor),
            })),
          })),
        }
      : {}),
  };
}

/**
 * A run's verdicts as RFC 4180 CSV, header first, a piece per verdict: it streams as the ledger
 * pages through the run. Fields holding a comma, quote or line break are quoted, quotes doubled.
 */
export async function* verdictsCsv(verdicts: AsyncIterable<VerdictRow>): AsyncGenerator<string> {
  yield `${EXPORT_COLUMNS.join(",")}\r\n`;
  for await (const verdict of verdicts) {
    const json = verdictJson(verdict);
    const fields = [
      json.id,
      json.runId,
      json.adapter,
      json.businessDate,
      json.lineNo,
      json.paymentId,
      json.class,
      json.discrepancy,
      json.type,
      json.providerReference,
      json.currency,
      json.ourAmountMinor,
      json.theirAmountMinor,
      json.detail,
      json.resolution?.action ?? null,
      json.resolution?.actor ?? null,
      json.resolution?.at ?? null,
      json.resolution?.note ?? null,
    ];
    yield `${fields.map(csvField).join(",")}\r\n`;
  }
}

function csvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
