import { ROUTER_HTTP_OPTIONS, ROUTER_HTTP_OPTIONS_HELP, resolveRouterHttpTarget } from "../cli-config.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP, printJson } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { type ReconRun, runReport } from "../recon-lines.ts";
import { callRouterAdmin } from "../router-admin.ts";

/** `paymesh recon show`: one run, its totals and amounts per verdict class. */
export const reconShowCommand: Command = {
  help: `Usage: paymesh recon show <run> [options]

Asks the router (GET /admin/recon/runs/{run}) for one reconciliation run: its adapter, business
date, status and counts, then every verdict class it gave with how many verdicts, discrepancies
and open ones, and the amounts involved per currency: what we recorded and what the provider
reported.

Arguments:
  <run>                    the run id from "paymesh recon list", e.g. 12

Options:
${JSON_OPTION_HELP}: the router's answer, the run with its "classes"
${ROUTER_HTTP_OPTIONS_HELP}

Example:
  ./run pnpm paymesh recon show 12`,
  async run({ args, env, print }) {
    const { values, positionals } = parseCommandArgs(
      "recon show",
      args,
      { ...ROUTER_HTTP_OPTIONS, ...JSON_OPTION },
      { names: ["run"] },
    );
    const run = positionals[0] ?? "";
    const answer = await callRouterAdmin(
      resolveRouterHttpTarget(values, env),
      "GET",
      `/admin/recon/runs/${encodeURIComponent(run)}`,
    );
    if (values.json === true) printJson(print, answer);
    else for (const line of runReport(answer as ReconRun)) print(line);
    return 0;
  },
};
