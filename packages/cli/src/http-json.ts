import { CliError } from "./cli-error.ts";

/** Longest the CLI waits for a simulator's control API; it answers from memory, so this is generous. */
export const HTTP_TIMEOUT_MS = 10_000;

/** A JSON reply: the status and the parsed body (or the raw text when the body is not JSON). */
export interface JsonReply {
  status: number;
  body: unknown;
}

/**
 * POSTs JSON and reads the reply, failing with one CliError line on a refused connection, a timeout
 * or a non-2xx status (quoting the body, which is where simulators say what was wrong).
 */
export async function postJson(url: string, body: unknown, timeoutMs = HTTP_TIMEOUT_MS): Promise<JsonReply> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new CliError(`POST ${url} failed: ${describeFetchError(error)}`, { cause: error });
  }
  const text = await response.text();
  const reply = { status: response.status, body: parseMaybeJson(text) };
  if (!response.ok) {
    const shown = text.length > 500 ? `${text.slice(0, 500)}…` : text;
    throw new CliError(`POST ${url} answered ${response.status}: ${shown.replace(/\s*\n\s*/g, " ")}`);
  }
  return reply;
}

/**
 * A reply as printed: pretty JSON, or the raw text when the body was not JSON. With `json` the text
 * is a JSON string too, so `--json` output always parses.
 */
export function replyText(reply: JsonReply, json = false): string {
  return typeof reply.body === "string" && !json ? reply.body : JSON.stringify(reply.body, null, 2);
}

/** The body parsed as JSON, or the text itself when it is not JSON. */
export function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Why fetch failed, in a few words: fetch hides the useful part ("ECONNREFUSED") in `cause`. */
export function describeFetchError(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return "no answer in time";
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error && cause.message !== "") return cause.message;
  return error instanceof Error ? error.message : String(error);
}
