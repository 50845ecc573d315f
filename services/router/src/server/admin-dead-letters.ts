import type { IncomingMessage, ServerResponse } from "node:http";
import { type Authenticator, PaymeshError } from "@paymesh/adapter-kit";
import { type DeadLetters, DLQ_REASON_HEADER, type QueueMessage } from "@paymesh/queue";

const PREFIX = "/admin/dlq";
const ONE_PATH = /^\/admin\/dlq\/([^/]+)(\/replay)?$/;

/** `GET /admin/dlq` without `?limit=`. */
export const DEFAULT_DLQ_LIMIT = 50;
/** Largest `?limit=`: a page an operator can read, and a bound on what one request copies. */
export const MAX_DLQ_LIMIT = 500;

/** Options for {@link createDeadLetterAdmin}. */
export interface DeadLetterAdminOptions {
  /** The work queue's dead letters; undefined on a router that runs without a work queue. */
  deadLetters: DeadLetters | undefined;
  /** Callers authenticate as for `GET /admin/adapters`: any configured caller's bearer token. */
  authenticate: Authenticator;
}

/**
 * One dead letter as the admin API shows it. The reason header is lifted out of `headers`; the body
 * is parsed when it is UTF-8 JSON (as provider webhooks are) so an operator can read the event, and
 * is otherwise given as base64. The parsed body is for reading only: a replay sends the stored bytes.
 */
export interface DeadLetterJson {
  id: string;
  attempts: number;
  /** The last handler error, or null when the message carries no reason header. */
  reason: string | null;
  routingKey: string;
  headers: Record<string, string>;
  /** The body as JSON, or null when it is not UTF-8 JSON. */
  body: unknown;
  /** The raw body, only when `body` could not be parsed. */
  bodyBase64?: string;
}

/** A request handler for everything under `/admin/dlq`; it never rejects. */
export type DeadLetterAdmin = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** True for the paths {@link createDeadLetterAdmin} answers, so the HTTP server can route to it. */
export function isDeadLetterAdminPath(path: string): boolean {
  return path === PREFIX || path.startsWith(`${PREFIX}/`);
}

/**
 * The dead-letter admin API behind `paymesh dlq` (issue 6). It lives on the router, not the broker,
 * because the embedded work queue is in the router's memory and only the router can reach it:
 *
 * - `GET /admin/dlq?limit=N` (1..500, default 50): `{"deadLetters": [...]}`, oldest first
 * - `GET /admin/dlq/{id}`: one dead letter
 * - `POST /admin/dlq/{id}/replay`: back to the work queue with a fresh attempt count
 * - `DELETE /admin/dlq/{id}`: gone for good
 *
 * Ids are percent-encoded path segments (they contain `:`, and may contain `/`).
 */
export function createDeadLetterAdmin(options: DeadLetterAdminOptions): DeadLetterAdmin {
  const answer = async (req: IncomingMessage): Promise<Answer> => {
    try {
      options.authenticate(req.headers.authorization);
    } catch (error) {
      return failure(401, PaymeshError.from(error).message);
    }
    const { deadLetters } = options;
    if (deadLetters === undefined) return failure(404, "this router has no dead-letter queue");
    const url = new URL(req.url ?? "/", "http://router");
    const method = req.method ?? "GET";

    if (url.pathname === PREFIX) {
      if (method !== "GET") return wrongMethod("GET");
      const limit = parseLimit(url.searchParams.get("limit"));
      if (limit === undefined) {
        return failure(400, `limit must be an integer from 1 to ${MAX_DLQ_LIMIT}`, "limit");
      }
      return ok({ deadLetters: (await deadLetters.list(limit)).map(deadLetterJson) });
    }

    const match = ONE_PATH.exec(url.pathname);
    if (match?.[1] === undefined) return failure(404, `no such route: ${url.pathname}`);
    const id = decodeId(match[1]);
    if (id === undefined) return failure(400, "id is not valid percent-encoded UTF-8", "id");
    const absent = failure(404, `no dead letter with id ${JSON.stringify(id)}`);

    if (match[2] !== undefined) {
      if (method !== "POST") return wrongMethod("POST");
      return (await deadLetters.replay(id)) ? ok({ replayed: true, id }) : absent;
    }
    if (method === "GET") {
      const message = await deadLetters.get(id);
      return message === undefined ? absent : ok(deadLetterJson(message));
    }
    if (method === "DELETE") return (await deadLetters.drop(id)) ? ok({ dropped: true, id }) : absent;
    return wrongMethod("GET, DELETE");
  };

  return async (req, res) => {
    let reply: Answer;
    try {
      reply = await answer(req);
    } catch (error) {
      // The broker behind a RabbitMQ queue can be away (a restart): 503, try again; the operator
      // sees why, and the router keeps serving.
      reply = failure(503, PaymeshError.from(error).message);
    }
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(JSON.stringify(reply.body));
  };
}

/** A dead letter in the admin API's JSON shape (see {@link DeadLetterJson}). */
export function deadLetterJson(message: QueueMessage): DeadLetterJson {
  const { [DLQ_REASON_HEADER]: reason, ...headers } = message.headers;
  const body = parseJsonBody(message.body);
  const json: DeadLetterJson = {
    id: message.id,
    attempts: message.attempts,
    reason: reason ?? null,
    routingKey: message.routingKey,
    headers,
    body: body.parsed ? body.value : null,
  };
  if (!body.parsed) json.bodyBase64 = Buffer.from(message.body).toString("base64");
  return json;
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

// RFC 9110 §15.5.6: a 405 must say which methods the resource does allow.
function wrongMethod(allow: string): Answer {
  return { status: 405, body: { error: `use ${allow.replace(", ", " or ")}` }, headers: { allow } };
}

function parseLimit(text: string | null): number | undefined {
  if (text === null) return DEFAULT_DLQ_LIMIT;
  if (!/^\d{1,4}$/.test(text)) return undefined;
  const limit = Number(text);
  return limit >= 1 && limit <= MAX_DLQ_LIMIT ? limit : undefined;
}

// decodeURIComponent also refuses "%" sequences that decode to invalid UTF-8.
function decodeId(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

// fatal: bytes that are not UTF-8 are shown as base64, never with U+FFFD in place of what was sent.
// ignoreBOM keeps a BOM, so JSON.parse refuses it and such a body is shown byte for byte as well.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function parseJsonBody(body: Uint8Array): { parsed: true; value: unknown } | { parsed: false } {
  try {
    return { parsed: true, value: JSON.parse(utf8.decode(body)) as unknown };
  } catch {
    return { parsed: false };
  }
}
