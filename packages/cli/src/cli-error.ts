const marker = Symbol.for("paymesh.cli.error");

/** Exit status for a command line the CLI could not make sense of (unknown command, bad option). */
export const EXIT_USAGE = 2;

/** Exit status for a well-formed command that failed (bad payload, router said no). */
export const EXIT_FAILURE = 1;

/**
 * An error the CLI reports as exactly one `paymesh: …` line on stderr. Commands throw it for
 * anything the user can fix; `exitCode` separates "you typed it wrong" (2) from "it did not work" (1)
 * so scripts can tell the two apart.
 */
export class CliError extends Error {
  readonly [marker] = true;
  readonly exitCode: number;
  /** Printed on stderr after the error line, e.g. a pointer to `--help`. */
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CliError";
    this.exitCode = options.exitCode ?? EXIT_FAILURE;
    this.hint = options.hint;
  }
}

/** A CliError with the usage exit status, for mistakes in the command line itself. */
export function usageError(message: string, hint?: string): CliError {
  return new CliError(
    message,
    hint === undefined ? { exitCode: EXIT_USAGE } : { exitCode: EXIT_USAGE, hint },
  );
}

/** Recognises a CliError by its marker, so a second copy of this module still agrees. */
export function isCliError(value: unknown): value is CliError {
  return typeof value === "object" && value !== null && marker in value;
}
