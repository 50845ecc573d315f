import { ROUTER_HTTP_OPTIONS, ROUTER_HTTP_OPTIONS_HELP, resolveRouterHttpTarget } from "../cli-config.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP, printJson } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { callRouterAdmin } from "../router-admin.ts";

/** One adapter as the router's `GET /admin/adapters` reports it. */
interface AdapterRow {
  name: string;
  address: string;
  breaker: string;
  reachable: boolean | null;
  provider: string;
  version: string;
  lastCheckedAt?: string;
  lastError?: string;
}

/** `paymesh adapters`: which providers the router can use right now, and why not when it cannot. */
export const adaptersCommand: Command = {
  help: `Usage: paymesh adapters [options]

Asks the router (GET /admin/adapters on its HTTP port) for every configured adapter: its address,
circuit-breaker state (closed, open, half-open, isolated), whether it answered its last health
probe, and the last error.

Options:
${ROUTER_HTTP_OPTIONS_HELP}
${JSON_OPTION_HELP}; the router's answer,
                           {"adapters": […]}

Example:
  ./run pnpm paymesh adapters`,
  async run({ args, env, print }) {
    const { values } = parseCommandArgs(
      "adapters",
      args,
      { ...ROUTER_HTTP_OPTIONS, ...JSON_OPTION },
      { names: [] },
    );
    const answer = await callRouterAdmin(resolveRouterHttpTarget(values, env), "GET", "/admin/adapters");
    if (values.json === true) {
      printJson(print, answer);
      return 0;
    }
    for (const adapter of adapterList(answer)) {
      const reachable =
        adapter.reachable === null ? "unprobed" : adapter.reachable ? "reachable" : "UNREACHABLE";
      const provider = adapter.provider === "" ? "" : `${adapter.provider} ${adapter.version}`;
      const error = adapter.lastError === undefined ? "" : `  last error: ${adapter.lastError}`;
      print(
        `${adapter.name.padEnd(12)} ${adapter.address.padEnd(22)} breaker ${adapter.breaker.padEnd(9)} ${reachable.padEnd(11)} ${provider}${error}`,
      );
    }
    return 0;
  },
};

function adapterList(answer: unknown): AdapterRow[] {
  if (typeof answer === "object" && answer !== null && "adapters" in answer && Array.isArray(answer.adapters))
    return answer.adapters as AdapterRow[];
  throw new CliError("the router's answer to GET /admin/adapters is not an adapter list");
}
