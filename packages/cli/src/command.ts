/** What a command gets from the dispatcher: its own arguments and the process edges it may touch. */
export interface CommandContext {
  /** Arguments after the command's words, e.g. `["--amount", "25000"]` for `pay qris --amount 25000`. */
  args: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** Writes one line to stdout: results, for people and for scripts. */
  print(line: string): void;
  /** Writes one line to stderr: diagnostics and progress. */
  warn(line: string): void;
  /**
   * stderr as a stream, for a command that redraws a progress line in place when it is a terminal
   * (`isTTY`); absent when the CLI is driven in process, where progress is plain `warn` lines.
   */
  stderr?: NodeJS.WriteStream;
}

/**
 * One `paymesh` command, as its module exports it. The table in commands.ts (the words that select
 * it, its summary, how to load it) is the whole CLI surface, so adding a command is adding a file and
 * a row, never touching the dispatcher.
 */
export interface Command {
  /** Full `--help` text: synopsis, options, an example. */
  help: string;
  /** Runs the command; resolves to the exit status. Throws CliError (or anything) to fail. */
  run(context: CommandContext): Promise<number>;
}
