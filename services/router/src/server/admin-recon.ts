import type { IncomingMessage, ServerResponse } from "node:http";
import { type Authenticator, PaymeshError } from "@paymesh/adapter-kit";
import {
  DEFAULT_RECON_LIMIT,
  type DiscrepancyFilter,
  isReconError,
  MAX_RECON_LIMIT,
  type ReconLedger,
  type ResolutionAction,
  type RunFilter,
  runJson,
  verdictJson,
  verdictsCsv,
} from "@paymesh/reconciler";
import type { Logger } from "@paymesh/telemetry";

const PREFIX = "/admin/recon";
const RUN_PATH = /^\/admin\/recon\/runs\/([^/]+)(\/export)?$/;
const RESOLVE_PATH = /^\/admin\/recon\/discrepancies\/([^/]+)\/resolve$/;

/** A resolution's body is a few fields and a note. */
const MAX_BODY_BYTES = 16 * 1024;

/** True for the paths {@link createReconAdmin} answers. */
export function isReconAdminPath(path: string): boolean {
  return path === PREFIX || path.startsWith(`${PREFIX}/`);
}

/** Options for {@link createReconAdmin}. */
export interface ReconAdminOptions {
  /** The reconciliation ledger over the router's store; undefined on a router without a SQL store. */
  ledger: ReconLedger | undefined;
  /** Operators' tokens; the name a token belongs to is who a resolution says decided. */
  authenticate: Authenticator;
  /** Where a store failure behind a 503 is logged. */
  log: Logger;
}

/**
 * The reconciliation admin API (issue 14), for the people who decide:
 *
 * - `GET /admin/recon/runs?adapter&status&from&to&limit`: runs, newest business date first
 * - `GET /admin/recon/runs/{id}`: one run with its totals and amounts per verdict class
 * - `GET /admin/recon/runs/{id}/export?format=csv|json`: every verdict of the run, streamed
 * - `GET /admin/recon/discrepancies?run&adapter&date&class&status&limit&after`: discrepancies
 * - `POST /admin/recon/discrepancies/{id}/resolve` `{"action","note"}`: a decision appended to the
 *   trail, made by the operator whose token it is; a second decision is refused (409)
 *
 * The SQL is the reconciler's (`createReconLedger`); this file only speaks HTTP. Bad input is a 400
 * naming the field; a store failure is a 503 whose cause goes to the log, never to the caller.
 */
export function createReconAdmin(options: ReconAdminOptions) {
  const { authenticate, log } = options;

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<Answer | undefined> => {
    let operator: string;
    try {
      operator = authenticate(req.headers.authorization);
    } catch (error) {
      return failure(401, PaymeshError.from(error).message);
    }
    const { ledger } = options;
    if (ledger === undefined) return failure(404, "this router's store keeps no reconciliation runs");
    const url = new URL(req.url ?? "/", "http://router");
    const query = url.searchParams;
    const method = req.method ?? "GET";

    if (url.pathname === `${PREFIX}/runs`) {
      if (method !== "GET") return wrongMethod("GET");
      const runs = await ledger.runs(runFilter(query));
      return ok({ runs: runs.map(runJson) });
    }
    const run = RUN_PATH.exec(url.pathname);
    if (run?.[1] !== undefined) {
      if (method !== "GET") return wrongMethod("GET");
      const runId = parseRunId(run[1], "run");
      if (run[2] === undefined) {
        const detail = await ledger.run(runId);
        return detail === undefined ? failure(404, `there is no run ${runId}`) : ok(runJson(detail));
      }
      const format = query.get("format") ?? "json";
      if (format !== "csv" && format !== "json") {
        throw invalid("format", `${JSON.stringify(format)} is not csv or json`);
      }
      const detail = await ledger.run(runId);
      if (detail === undefined) return failure(404, `there is no run ${runId}`);
      await streamExport(res, format, detail, ledger);
      return undefined;
    }
    if (url.pathname === `${PREFIX}/discrepancies`) {
      if (method !== "GET") return wrongMethod("GET");
      const discrepancies = await ledger.discrepancies(discrepancyFilter(query));
      // A full page may have more behind it: `next` is the `after` of the following page.
      const last = discrepancies.at(-1);
      const next = discrepancies.length === limitOf(query) && last !== undefined ? last.id : null;
      return ok({ discrepancies: discrepancies.map(verdictJson), next });
    }
    const resolve = RESOLVE_PATH.exec(url.pathname);
    if (resolve?.[1] !== undefined) {
      if (method !== "POST") return wrongMethod("POST");
      const id = decodeSegment(resolve[1]);
      const body = await readJsonBody(req);
      const resolution = await ledger.resolve({
        id,
        // Checked against the three actions by the ledger, which names the field when it is not one.
        action: stringField(body, "action") as ResolutionAction,
        note: stringField(body, "note"),
        actor: operator,
      });
      return {
        status: 201,
        body: {
          resolution: {
            seq: String(resolution.seq),
            id,
            class: resolution.verdictClass,
            action: resolution.action,
            actor: resolution.actor,
            note: resolution.note,
            at: resolution.at.toISOString(),
          },
        },
      };
    }
    return failure(404, `no such route: ${url.pathname}`);
  };

  return async function reconAdmin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let reply: Answer | undefined;
    try {
      reply = await answer(req, res);
    } catch (error) {
      reply = errorAnswer(error);
      if (reply === undefined) {
        log.error({ source: "admin", path: PREFIX, err: error }, "reconciliation admin request failed");
        reply = failure(503, "the reconciliation store is unavailable; retry later");
      }
      if (res.headersSent) {
        // An export that broke midway: the caller must not take a cut-off file for the whole run.
        res.destroy();
        return;
      }
    }
    if (reply === undefined) return;
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(JSON.stringify(reply.body));
  };
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const ok = (body: unknown): Answer => ({ status: 200, body });

function failure(status: number, error: string, field?: string): Answer {
  return { status, body: field === undefined ? { error } : { error, field } };
}

function wrongMethod(allow: string): Answer {
  return { status: 405, body: { error: `use ${allow}` }, headers: { allow } };
}

/** A request the caller got wrong, as the ledger's own INVALID_REQUEST. */
class BadRequest extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

const invalid = (field: string, message: string) => new BadRequest(field, message);

/** The answer to an error the caller can act on; undefined for anything else (a 503). */
function errorAnswer(error: unknown): Answer | undefined {
  if (error instanceof BadRequest) return failure(400, error.message, error.field);
  if (!isReconError(error)) return undefined;
  switch (error.code) {
    case "INVALID_REQUEST":
      return failure(400, error.message, error.field);
    case "NOT_FOUND":
      return failure(404, error.message);
    case "ALREADY_RESOLVED":
      return failure(409, error.message);
    default:
      return undefined;
  }
}

// The ledger checks every filter and names the one at fault; here they are only read off the URL.
function runFilter(query: URLSearchParams): RunFilter {
  const filter: RunFilter = { limit: limitOf(query) };
  for (const name of ["adapter", "status", "from", "to"] as const) {
    const value = query.get(name);
    if (value !== null) filter[name] = value;
  }
  return filter;
}

function discrepancyFilter(query: URLSearchParams): DiscrepancyFilter {
  const filter: DiscrepancyFilter = { limit: limitOf(query) };
  const run = query.get("run");
  if (run !== null) filter.run = parseRunId(run, "run");
  for (const name of ["adapter", "date", "class", "status", "after"] as const) {
    const value = query.get(name);
    if (value !== null) filter[name] = value;
  }
  return filter;
}

function limitOf(query: URLSearchParams): number {
  const text = query.get("limit");
  if (text === null) return DEFAULT_RECON_LIMIT;
  // Not a number at all is refused here; the range is the ledger's to check.
  if (!/^\d{1,9}$/.test(text)) throw invalid("limit", `must be a whole number from 1 to ${MAX_RECON_LIMIT}`);
  return Number(text);
}

function parseRunId(text: string, field: string): bigint {
  if (!/^\d{1,18}$/.test(text)) throw invalid(field, `${JSON.stringify(text)} is not a run id`);
  return BigInt(text);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalid("id", "is not valid percent-encoded UTF-8");
  }
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw invalid("body", `is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw invalid("body", 'is not JSON; send {"action": …, "note": …}');
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid("body", 'is not a JSON object; send {"action": …, "note": …}');
  }
  return body as Record<string, unknown>;
}

function stringField(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value === undefined || value === null) throw invalid(field, "is required");
  if (typeof value !== "string") throw invalid(field, "must be a string");
  return value;
}

/** Writes the export: the run's verdicts a page at a time, never the whole run in memory. */
async function streamExport(
  res: ServerResponse,
  format: "csv" | "json",
  run: Parameters<typeof runJson>[0],
  ledger: ReconLedger,
): Promise<void> {
  const name = `recon-${run.adapter}-${run.businessDate}-run${run.runId}.${format}`;
  res.writeHead(200, {
    "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json",
    "content-disposition": `attachment; filename="${name}"`,
  });
  const pieces =
    format === "csv" ? verdictsCsv(ledger.verdicts(run.runId)) : jsonExport(run, ledger.verdicts(run.runId));
  for await (const piece of pieces) {
    if (!res.write(piece)) await new Promise((resolve) => res.once("drain", resolve));
  }
  res.end();
}

async function* jsonExport(
  run: Parameters<typeof runJson>[0],
  verdicts: AsyncIterable<Parameters<typeof verdictJson>[0]>,
): AsyncGenerator<string> {
  const head = JSON.stringify({ run: runJson(run), verdicts: [] });
  // The document is {"run": …, "verdicts": [ … ]}, written verdict by verdict.
  yield head.slice(0, -2);
  let first = true;
  for await (const verdict of verdicts) {
    yield `${first ? "" : ","}\n${JSON.stringify(verdictJson(verdict))}`;
    first = false;
  }
  yield "\n]}";
}
