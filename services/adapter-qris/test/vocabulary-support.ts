// Captures the adapter's unknown-value reports (adapter-kit provider-vocabulary.ts writes one JSON
// line to stderr each) while a test runs, so a test can assert that a value was reported loudly.
import { vi } from "vitest";

/** A report line as written. */
export type UnknownValueLine = Record<string, unknown> & { event: "unknown_provider_value" };

/** Starts capturing stderr; `reports()` are the unknown-value lines so far, `restore()` ends it. */
export function captureUnknownReports(): { reports(): UnknownValueLine[]; restore(): void } {
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, "write").mockImplementation(((chunk: unknown) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write);
  return {
    reports: () =>
      written
        .flatMap((text) => text.split("\n"))
        .filter((line) => line.includes('"unknown_provider_value"'))
        .map((line) => JSON.parse(line) as UnknownValueLine),
    restore: () => spy.mockRestore(),
  };
}
