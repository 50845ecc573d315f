import { CliError } from "./cli-error.ts";
import { formatMoney } from "./currency-amount.ts";
import { cut, textTable } from "./text-table.ts";

/** A run as the router's `/admin/recon` API answers it (services/router admin-recon.ts). */
export interface ReconRun {
  runId: string;
  adapter: string;
  businessDate: string;
  status: string;
  attempts: number;
  failure: string | null;
  lines: number;
  unreadable: number;
  discrepancies: number;
  open: number;
  createdAt: string;
  finishedAt: string | null;
  /** Only on `GET /admin/recon/runs/{id}`: every verdict class, with its amounts per currency. */
  classes?: Array<{
    class: string;
    verdicts: number;
    discrepancies: number;
    open: number;
    amounts: Array<{ currency: string | null; ourMinor: string; theirMinor: string }>;
  }>;
}

/** A discrepancy (a verdict) as the API answers it; amounts are int64 decimal strings. */
export interface ReconDiscrepancy {
  id: string;
  runId: string;
  adapter: string;
  businessDate: string;
  class: string;
  providerReference: string | null;
  currency: string | null;
  ourAmountMinor: string | null;
  theirAmountMinor: string | null;
  detail: string | null;
  resolution: { action: string; actor: string; note: string; at: string } | null;
}

/** The answer's `key` member when it is a list, else a CliError naming the request. */
export function listOf<T>(answer: unknown, key: string, request: string): T[] {
  const list = (answer as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(list)) throw new CliError(`the router's answer to ${request} has no ${key} list`);
  return list as T[];
}

/** Runs as a table: the id (what `recon show|export` take), adapter, date, status and counts. */
export function runTable(runs: readonly ReconRun[]): string[] {
  return textTable(
    ["RUN", "ADAPTER", "DATE", "STATUS", "LINES", "UNREADABLE", "DISCREPANCIES", "OPEN"],
    runs.map((run) => [
      run.runId,
      run.adapter,
      run.businessDate,
      run.status === "failed" ? `failed: ${cut(run.failure ?? "", 60)}` : run.status,
      String(run.lines),
      String(run.unreadable),
      String(run.discrepancies),
      String(run.open),
    ]),
  );
}

/** One run for `recon show`: what it is, then every class with a verdict, amounts per currency. */
export function runReport(run: ReconRun): string[] {
  const head = [
    `run ${run.runId}: ${run.adapter} ${run.businessDate}, ${run.status} after ${run.attempts} attempt(s)` +
      (run.finishedAt === null ? "" : `, finished ${run.finishedAt}`),
    ...(run.failure === null ? [] : [`failure: ${run.failure}`]),
    `${run.lines} lines (${run.unreadable} unreadable), ${run.discrepancies} discrepancies, ${run.open} open`,
    "",
  ];
  const rows = (run.classes ?? [])
    .filter((total) => total.verdicts > 0)
    .flatMap((total) => {
      const amounts = total.amounts.length > 0 ? total.amounts : [null];
      return amounts.map((amount, index) => [
        index === 0 ? total.class : "",
        index === 0 ? String(total.verdicts) : "",
        index === 0 ? String(total.discrepancies) : "",
        index === 0 ? String(total.open) : "",
        amount === null ? "" : money(amount.ourMinor, amount.currency),
        amount === null ? "" : money(amount.theirMinor, amount.currency),
      ]);
    });
  return [...head, ...textTable(["CLASS", "VERDICTS", "DISCREPANCIES", "OPEN", "OURS", "THEIRS"], rows)];
}

/** Discrepancies as a table: the id (what `recon resolve` takes), where, what, and who decided. */
export function discrepancyTable(discrepancies: readonly ReconDiscrepancy[]): string[] {
  return textTable(
    ["ID", "ADAPTER", "DATE", "CLASS", "OURS", "THEIRS", "STATUS", "DETAIL"],
    discrepancies.map((each) => [
      each.id,
      each.adapter,
      each.businessDate,
      each.class,
      each.ourAmountMinor === null ? "-" : money(each.ourAmountMinor, each.currency),
      each.theirAmountMinor === null ? "-" : money(each.theirAmountMinor, each.currency),
      each.resolution === null ? "open" : `${each.resolution.action} by ${each.resolution.actor}`,
      cut(each.detail ?? "", 80),
    ]),
  );
}

function money(minor: string, currency: string | null): string {
  if (!/^-?\d+$/.test(minor)) return minor;
  return currency === null ? `${minor} minor units` : formatMoney({ currency, minorUnits: BigInt(minor) });
}
