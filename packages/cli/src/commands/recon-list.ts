import { ROUTER_HTTP_OPTIONS, ROUTER_HTTP_OPTIONS_HELP, resolveRouterHttpTarget } from "../cli-config.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP, parseLimit, printJson } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { listOf, type ReconRun, runTable } from "../recon-lines.ts";
import { callRouterAdmin } from "../router-admin.ts";

/** The router's default and maximum for `GET /admin/recon/runs?limit=`. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** `paymesh recon list`: the reconciliation runs, newest business date first. */
export const reconListCommand: Command = {
  help: `Usage: paymesh recon list [options]

Asks the router (GET /admin/recon/runs on its HTTP port, an operator's token) for the
reconciliation runs, newest business date first: one line each with the run id (what "recon show"
and "recon export" take), the adapter, the business date, the status, the report's lines, the
unreadable ones, the discrepancies found and how many of them nobody has resolved yet.

Options:
  --adapter <name>         only this adapter's runs
  --status <status>        pending, completed or failed
  --from <YYYY-MM-DD>      business dates from this one
  --to <YYYY-MM-DD>        business dates up to this one
  --limit <n>              at most this many, 1..${MAX_LIMIT} (default ${DEFAULT_LIMIT})
${JSON_OPTION_HELP}: the router's answer, {"runs": […]}
${ROUTER_HTTP_OPTIONS_HELP}

Example:
  ./run pnpm paymesh recon list --adapter va --status completed`,
  async run({ args, env, print, warn }) {
    const { values } = parseCommandArgs(
      "recon list",
      args,
      {
        ...ROUTER_HTTP_OPTIONS,
        adapter: { type: "string" },
        status: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        limit: { type: "string" },
        ...JSON_OPTION,
      },
      { names: [] },
    );
    const limit = parseLimit("recon list", values.limit, { max: MAX_LIMIT, fallback: DEFAULT_LIMIT });
    const query = new URLSearchParams({ limit: String(limit) });
    for (const name of ["adapter", "status", "from", "to"] as const) {
      const value = values[name];
      if (value !== undefined) query.set(name, value);
    }
    const answer = await callRouterAdmin(
      resolveRouterHttpTarget(values, env),
      "GET",
      `/admin/recon/runs?${query}`,
    );
    const runs = listOf<ReconRun>(answer, "runs", "GET /admin/recon/runs");
    if (values.json === true) {
      printJson(print, answer);
      return 0;
    }
    if (runs.length === 0) {
      print("no reconciliation runs");
      return 0;
    }
    for (const line of runTable(runs)) print(line);
    if (runs.length === limit) warn(`(the newest ${limit}; there may be more: raise --limit)`);
    return 0;
  },
};
