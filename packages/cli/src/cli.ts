import { EXIT_FAILURE, EXIT_USAGE, isCliError } from "./cli-error.ts";
import type { CommandContext } from "./command.ts";
import { COMMANDS, type CommandEntry } from "./commands.ts";

/** Where runCli writes and what environment it reads; main.ts passes the real process's. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  print(line: string): void;
  warn(line: string): void;
  /** See CommandContext.stderr. */
  stderr?: NodeJS.WriteStream;
}

/**
 * Runs one `paymesh` invocation and resolves to its exit status: 0 done, 1 the command failed
 * (one `paymesh: …` line on stderr), 2 the command line was wrong (usage on stderr). Never throws,
 * so main.ts stays a one-liner and tests can drive it in-process.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const found = findCommand(argv);
  if (found === undefined) return noCommand(argv, io);
  const { entry, rest } = found;
  const context: CommandContext = {
    args: rest,
    env: io.env,
    print: io.print,
    warn: io.warn,
    ...(io.stderr === undefined ? {} : { stderr: io.stderr }),
  };
  try {
    const command = await entry.load();
    if (wantsHelp(rest)) {
      io.print(command.help);
      return 0;
    }
    return await command.run(context);
  } catch (error) {
    // error-line.ts reads router and QRIS errors with their packages, which only a failed command
    // that used them needs: loading it lazily keeps `--help` and usage errors quick.
    const line = isCliError(error) ? error.message : (await import("./error-line.ts")).errorLine(error);
    io.warn(`paymesh: ${line}`);
    if (isCliError(error)) {
      if (error.hint !== undefined) io.warn(error.hint);
      return error.exitCode;
    }
    return EXIT_FAILURE;
  }
}

/** The command list, for `paymesh --help` and after an unknown command. */
export function usage(commands: readonly CommandEntry[] = COMMANDS): string {
  const synopses = commands.map((c) => c.path.join(" "));
  const width = Math.max(...synopses.map((s) => s.length));
  const rows = commands.map((c, i) => `  ${(synopses[i] ?? "").padEnd(width)}  ${c.summary}`);
  return [
    "Usage: paymesh <command> [options]      (from the repo: ./run pnpm paymesh <command>)",
    "",
    "Commands:",
    ...rows,
    "",
    'Run "paymesh <command> --help" for a command\'s options and an example. Every command takes',
    "--json: one JSON document on stdout.",
  ].join("\n");
}

// The longest command path that prefixes argv wins, so "sandbox pay qris" is not read as "sandbox".
function findCommand(argv: readonly string[]): { entry: CommandEntry; rest: string[] } | undefined {
  let best: CommandEntry | undefined;
  for (const entry of COMMANDS) {
    const matches = entry.path.every((word, i) => argv[i] === word);
    if (matches && (best === undefined || entry.path.length > best.path.length)) best = entry;
  }
  return best === undefined ? undefined : { entry: best, rest: argv.slice(best.path.length) };
}

function noCommand(argv: readonly string[], io: CliIo): number {
  const [first] = argv;
  if (first === "--help" || first === "-h" || first === "help") {
    io.print(usage());
    return 0;
  }
  if (first === undefined) {
    io.warn(usage());
    return EXIT_USAGE;
  }
  // A known group with a wrong or missing subcommand ("paymesh qris"): list just that group, on
  // stdout with exit 0 when that is what was asked for ("paymesh payments --help").
  const group = COMMANDS.filter((c) => c.path[0] === first);
  if (group.length > 0 && wantsHelp(argv)) {
    io.print(usage(group));
    return 0;
  }
  const end = argv.findIndex((arg) => arg.startsWith("-"));
  const typed = (end === -1 ? argv : argv.slice(0, end)).join(" ");
  io.warn(`paymesh: unknown command "${typed}"`);
  io.warn(usage(group.length > 0 ? group : COMMANDS));
  return EXIT_USAGE;
}

// --help anywhere before "--" asks for help, even after other options.
function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
}
