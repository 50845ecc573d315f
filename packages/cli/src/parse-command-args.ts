import { usageError } from "./cli-error.ts";

/**
 * The options one command accepts: long names only (`--amount`), each a string or a flag. A string
 * option with `multiple: true` may be repeated (`--detail a=1 --detail b=2`) and reads as a list.
 */
export type OptionSpecs = Readonly<Record<string, { type: "string" | "boolean"; multiple?: boolean }>>;

/** The positional-argument contract of one command, checked in one place. */
export interface PositionalSpec {
  /** Names shown in errors, in order, e.g. `["payload"]`. */
  names: readonly string[];
  /** Hint appended when too many are given (a QRIS payload with spaces, unquoted). */
  tooMany?: string;
}

type Values<O extends OptionSpecs> = {
  [K in keyof O]?: O[K]["type"] extends "boolean"
    ? boolean
    : O[K] extends { multiple: true }
      ? string[]
      : string;
};

/** What parseCommandArgs returns: typed option values and exactly the positionals asked for. */
export interface ParsedArgs<O extends OptionSpecs> {
  values: Values<O>;
  positionals: string[];
}

/**
 * A deliberately small parser: `--name value`, `--name=value`, `--flag`, `--` and positionals.
 * Written here rather than using node:util parseArgs because an amount like "-5" must reach the
 * amount check (and get "must be positive"), not be rejected as an unknown option `-5`. Mistakes
 * become one-line usage errors (exit 2) pointing at `--help`, which the dispatcher handles itself.
 */
export function parseCommandArgs<O extends OptionSpecs>(
  commandName: string,
  args: readonly string[],
  options: O,
  positional: PositionalSpec,
): ParsedArgs<O> {
  const hint = `run "paymesh ${commandName} --help" for usage`;
  const fail = (message: string) => usageError(`${commandName}: ${message}`, hint);
  const values: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    // "-" is stdin and "-5" a (wrong) number; neither is an option.
    if (!arg.startsWith("-") || arg === "-" || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith("--")) throw fail(`unknown option "${arg}"`);
    const equals = arg.indexOf("=");
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const spec = Object.hasOwn(options, name) ? options[name] : undefined;
    if (spec === undefined) throw fail(`unknown option "--${name}"`);
    if (name in values && spec.multiple !== true) throw fail(`--${name} given twice`);
    if (spec.type === "boolean") {
      if (equals !== -1) throw fail(`--${name} takes no value`);
      values[name] = true;
      continue;
    }
    let value: string;
    if (equals !== -1) {
      value = arg.slice(equals + 1);
    } else {
      const next = args[i + 1];
      if (next === undefined || next.startsWith("--")) throw fail(`--${name} needs a value`);
      value = next;
      i++;
    }
    if (spec.multiple === true) {
      const list = values[name];
      values[name] = Array.isArray(list) ? [...list, value] : [value];
    } else {
      values[name] = value;
    }
  }
  const { names } = positional;
  if (positionals.length < names.length) {
    throw fail(
      `missing ${names
        .slice(positionals.length)
        .map((n) => `<${n}>`)
        .join(" ")}`,
    );
  }
  if (positionals.length > names.length) {
    const extra = positionals.length - names.length;
    const detail = positional.tooMany === undefined ? "" : `; ${positional.tooMany}`;
    throw fail(`${extra} unexpected argument${extra === 1 ? "" : "s"}${detail}`);
  }
  return { values: values as Values<O>, positionals };
}
