import { z } from "zod";
import { LOG_LEVELS, type LogLevel } from "./logger.ts";

/** The level of the one line each served RPC gets. */
export type RpcLogLevel = "info" | "debug";

/** How a process logs, from its environment. */
export interface LogSettings {
  /** LOG_LEVEL: the lowest level written. @default "info" */
  level: LogLevel;
  /**
   * LOG_RPC_LEVEL: the level of the per-RPC line; "debug" keeps a busy service's log to what went
   * wrong unless LOG_LEVEL is debug too. @default "info"
   */
  rpcLevel: RpcLogLevel;
}

const SCHEMA = {
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  LOG_RPC_LEVEL: z.enum(["info", "debug"], { error: "must be info or debug" }).default("info"),
};

/** A logging variable with a value the logger cannot take. */
export class LogSettingsError extends Error {
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`${variable} ${problem}`);
    this.name = "LogSettingsError";
    this.variable = variable;
  }
}

/**
 * Reads LOG_LEVEL and LOG_RPC_LEVEL (an empty variable counts as unset); throws a
 * {@link LogSettingsError} naming the variable and the values it may take.
 */
export function readLogSettings(env: NodeJS.ProcessEnv = process.env): LogSettings {
  const given = {
    LOG_LEVEL: env.LOG_LEVEL || undefined,
    LOG_RPC_LEVEL: env.LOG_RPC_LEVEL || undefined,
  };
  const parsed = z.object(SCHEMA).safeParse(given);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const variable = String(issue?.path[0] ?? "LOG_LEVEL");
    const value = given[variable as keyof typeof given];
    throw new LogSettingsError(variable, `${issue?.message ?? "is not valid"}, got ${JSON.stringify(value)}`);
  }
  return { level: parsed.data.LOG_LEVEL, rpcLevel: parsed.data.LOG_RPC_LEVEL };
}
