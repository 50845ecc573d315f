import { ROUTER_HTTP_OPTIONS, ROUTER_HTTP_OPTIONS_HELP, resolveRouterHttpTarget } from "../cli-config.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { parseCommandArgs } from "../parse-command-args.ts";

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
  path: ["adapters"],
  summary: "Show each adapter's circuit breaker and reachability as the router sees them",
  help: `Usage: paymesh adapters [options]

Asks the router (GET /admin/adapters on its HTTP port) for every configured adapter: its address,
circuit-breaker state (closed, open, half-open, isolated), whether it answered its last health
probe, and the last error.

Options:
${ROUTER_HTTP_OPTIONS_HELP}
  --json                   print the router's answer as JSON

Example:
  pnpm paymesh adapters`,
  async run({ args, env, print }) {
    const { values } = parseCommandArgs(
      "adapters",
      args,
      { ...ROUTER_HTTP_OPTIONS, json: { type: "boolean" } },
      { names: [] },
    );
    const { baseUrl, token } = resolveRouterHttpTarget(values, env);
    const url = `${baseUrl}/admin/adapters`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new CliError(`GET ${url} failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    const text = await response.text();
    if (!response.ok) throw new CliError(`GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
    const body = JSON.parse(text) as { adapters: AdapterRow[] };
    if (values.json === true) {
      print(JSON.stringify(body, null, 2));
      return 0;
    }
    for (const adapter of body.adapters) {
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
