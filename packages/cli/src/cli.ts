import { EXIT_FAILURE, EXIT_USAGE, isCliError } from "./cli-error.ts";
import type { Command, CommandContext } from "./command.ts";
import { COMMANDS } from "./commands.ts";
import { errorLine } from "./error-line.ts";

/** Where runCli writes and what environment it reads; main.ts passes the real process's. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  print(line: string): void;
  warn(line: string): void;
}

/**
 * Runs one `paymesh` invocation and resolves to its exit status: 0 done, 1 the command failed
 * (one `paymesh: …` line on stderr), 2 the command line was wrong (usage on stderr). Never throws,
 * so main.ts stays a one-liner and tests can drive it in-process.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const found = findCommand(argv);
  if (found === undefined) return noCommand(argv, io);
  const { command, rest } = found;
  if (wantsHelp(rest)) {
    io.print(command.help);
    return 0;
  }
  const context: CommandContext = { args: rest, env: io.env, print: io.print, warn: io.warn };
  try {
    return await command.run(context);
  } catch (error) {
    io.warn(`paymesh: ${errorLine(error)}`);
    if (isCliError(error)) {
      if (error.hint !== undefined) io.warn(error.hint);
      return error.exitCode;
    }
    return EXIT_FAILURE;
  }
}

/** The command list, for `paymesh --help` and after an unknown command. */
export function usage(commands: readonly Command[] = COMMANDS): string {
  const synopses = commands.map((c) => c.path.join(" "));
  const width = Math.max(...synopses.map((s) => s.length));
  const rows = commands.map((c, i) => `  ${(synopses[i] ?? "").padEnd(width)}  ${c.summary}`);
  return [
    "Usage: paymesh <command> [options]      (from the repo: pnpm paymesh <command>)",
    "",
    "Commands:",
    ...rows,
    "",
    'Run "paymesh <command> --help" for a command\'s options and an example.',
  ].join("\n");
}

// The longest command path that prefixes argv wins, so "sandbox pay qris" is not read as "sandbox".
function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const command of COMMANDS) {
    const matches = command.path.every((word, i) => argv[i] === word);
    if (matches && (best === undefined || command.path.length > best.path.length)) best = command;
  }
  return best === undefined ? undefined : { command: best, rest: argv.slice(best.path.length) };
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
  // A known group with a wrong or missing subcommand ("paymesh qris"): list just that group.
  const group = COMMANDS.filter((c) => c.path[0] === first);
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
