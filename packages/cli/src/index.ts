// What other packages may use from @paymesh/cli. The CLI is mostly an executable (main.ts); these
// are the pieces worth reusing or testing directly.
export { type CliIo, runCli, usage } from "./cli.ts";
export { DEFAULT_ROUTER_ADDRESS, DEV_TOKEN } from "./cli-config.ts";
export { CliError, isCliError } from "./cli-error.ts";
export type { DevStack } from "./dev-stack-file.ts";
export { parseRupiahAmount } from "./rupiah-amount.ts";
export {
  describeExit,
  type ProcessExit,
  type StartedProcess,
  StartProcessError,
  type StartProcessOptions,
  startProcess,
} from "./stack/start-process.ts";
