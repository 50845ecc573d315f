import { usageError } from "./cli-error.ts";

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
 * Reads an option whose value comes from a fixed list (`--bank bca`), case-insensitively. Anything
 * else is a usage error (exit 2) that lists the choices.
 */
export function oneOf<C extends string>(
  commandName: string,
  option: string,
  value: string,
  choices: readonly C[],
): C {
  const found = choices.find((choice) => choice.toLowerCase() === value.toLowerCase());
  if (found === undefined) {
    throw usageError(
      `${commandName}: --${option} ${JSON.stringify(value)} is not one of ${choices.join(", ")}`,
      helpHint(commandName),
    );
  }
  return found;
}

/** The second stderr line of a usage error, pointing at the command's own help. */
export function helpHint(commandName: string): string {
  return `run "paymesh ${commandName} --help" for usage`;
}
