import { CliError, usageError } from "./cli-error.ts";

type Present<V, K extends keyof V> = { [P in K]-?: Exclude<V[P], undefined> };

/**
 * Checks that every option in `names` was given, naming all the missing ones in one usage error
 * (exit 2) rather than one per run, and returns the values typed as present.
 */
export function requireOptions<V extends Readonly<Record<string, unknown>>, K extends keyof V & string>(
  commandName: string,
  values: V,
  names: readonly K[],
): V & Present<V, K> {
  const missing = names.filter((name) => values[name] === undefined).map((name) => `--${name}`);
  if (missing.length > 0) {
    const list =
      missing.length === 1
        ? `${missing[0]} is`
        : `${missing.slice(0, -1).join(", ")} and ${missing.at(-1)} are`;
    throw usageError(`${commandName}: ${list} required`, helpHint(commandName));
  }
  return values as V & Present<V, K>;
}

/**
 * Reads `--limit`: a whole number from 1 to `max`, `fallback` when not given. Anything else (0, a
 * negative number, "ten") is refused before anything is sent, naming the range (exit 1).
 */
export function parseLimit(
  commandName: string,
  text: string | undefined,
  { max, fallback }: { max: number; fallback: number },
): number {
  if (text === undefined) return fallback;
  const limit = /^\d{1,6}$/.test(text.trim()) ? Number(text.trim()) : 0;
  if (limit < 1 || limit > max) {
    throw new CliError(
      `${commandName}: --limit must be a whole number from 1 to ${max}, not ${JSON.stringify(text)}`,
    );
  }
  return limit;
}

/** `--json`, which every command takes: one JSON document on stdout, everything else on stderr. */
export const JSON_OPTION = { json: { type: "boolean" } } as const;

/** Its `--help` line. */
export const JSON_OPTION_HELP =
  "  --json                   print one JSON document on stdout (notes and hints go to stderr)";

/** Prints `value` as the one JSON document of a `--json` run, indented for people reading it. */
export function printJson(print: (line: string) => void, value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/** The second stderr line of a usage error, pointing at the command's own help. */
export function helpHint(commandName: string): string {
  return `run "paymesh ${commandName} --help" for usage`;
}
