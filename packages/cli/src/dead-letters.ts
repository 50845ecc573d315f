import { CliError } from "./cli-error.ts";
import { cut, textTable } from "./text-table.ts";

/** One dead letter as the router's `/admin/dlq` API answers it (services/router admin-dead-letters.ts). */
export interface DeadLetter {
  id: string;
  attempts: number;
  reason: string | null;
  routingKey: string;
  headers: Record<string, string>;
  /** The event as JSON, or null when the body is not UTF-8 JSON. */
  body: unknown;
  /** The raw body, only when it is not JSON. */
  bodyBase64?: string;
}

/** The admin API path of one dead letter; ids contain ":" and may contain "/", so they are encoded. */
export function deadLetterPath(id: string, action = ""): string {
  return `/admin/dlq/${encodeURIComponent(id)}${action}`;
}

/** Reads `GET /admin/dlq`'s answer, refusing anything that is not the shape the CLI prints. */
export function deadLetterList(answer: unknown): DeadLetter[] {
  if (typeof answer === "object" && answer !== null && "deadLetters" in answer) {
    const { deadLetters } = answer;
    if (Array.isArray(deadLetters) && deadLetters.every(isDeadLetter)) return deadLetters;
  }
  throw new CliError("the router's answer to GET /admin/dlq is not a dead-letter list");
}

const REASON_WIDTH = 40;
const EVENT_WIDTH = 60;

/**
 * Dead letters as a table for people: id in full (it is what `dlq show|replay|drop` take), attempts,
 * the reason and the start of the event, each cut to one line so a column never wraps.
 */
export function deadLetterTable(deadLetters: readonly DeadLetter[]): string[] {
  const rows = deadLetters.map((d) => [
    d.id,
    String(d.attempts),
    cut(d.reason ?? "", REASON_WIDTH),
    cut(eventPreview(d), EVENT_WIDTH),
  ]);
  return textTable(["ID", "ATTEMPTS", "REASON", "EVENT"], rows);
}

// JSON events are shown as compact JSON; anything else as the base64 the router sent.
function eventPreview(deadLetter: DeadLetter): string {
  if (deadLetter.bodyBase64 !== undefined) return `base64:${deadLetter.bodyBase64}`;
  return JSON.stringify(deadLetter.body) ?? "";
}

function isDeadLetter(value: unknown): value is DeadLetter {
  if (typeof value !== "object" || value === null) return false;
  const row = value as Record<string, unknown>;
  return (
    typeof row.id === "string" &&
    typeof row.attempts === "number" &&
    (row.reason === null || typeof row.reason === "string")
  );
}
