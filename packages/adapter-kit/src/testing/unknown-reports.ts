// Captures an adapter's unknown-value reports (reportUnknownProviderValue writes one JSON line to
// stderr each) while a test runs, so a test can assert that a value was reported loudly.
import { afterEach, beforeEach, vi } from "vitest";

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

/** Captures every test of the file: the returned function reads the current test's reports. */
export function useUnknownReports(): () => UnknownValueLine[] {
  let capture: ReturnType<typeof captureUnknownReports> | undefined;
  beforeEach(() => {
    capture = captureUnknownReports();
  });
  afterEach(() => capture?.restore());
  return () => capture?.reports() ?? [];
}
