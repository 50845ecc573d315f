import type { DestinationStream } from "pino";

/** Lines a logger wrote, kept in memory; {@link captureLogLines}. */
export interface LogCapture {
  /** Give this to createLogger as its `destination`. */
  destination: DestinationStream;
  /** Every line written so far, parsed. */
  lines: Array<Record<string, unknown>>;
  /** Every line written so far, exactly as written (what a log shipper would read). */
  raw: string[];
}

/**
 * A logger destination that keeps each line in memory, for tests that assert on what a process
 * logged: the bytes are the ones stderr would get, so redaction is tested as it really runs.
 */
export function captureLogLines(): LogCapture {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  return {
    lines,
    raw,
    destination: {
      write(line: string) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  };
}
