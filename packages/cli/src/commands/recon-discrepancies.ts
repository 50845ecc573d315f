import { ROUTER_HTTP_OPTIONS, ROUTER_HTTP_OPTIONS_HELP, resolveRouterHttpTarget } from "../cli-config.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP, parseLimit, printJson } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { discrepancyTable, listOf, type ReconDiscrepancy } from "../recon-lines.ts";
import { callRouterAdmin } from "../router-admin.ts";

/** The router's default and maximum for `GET /admin/recon/discrepancies?limit=`. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** `paymesh recon discrepancies`: what the reconciliation found that a person must decide on. */
export const reconDiscrepanciesCommand: Command = {
  help: `Usage: paymesh recon discrepancies [options]

Asks the router (GET /admin/recon/discrepancies, an operator's token) for the discrepancies of
the reconciliation runs, newest run first and in report order within a run: one line each with
the id (what "recon resolve" takes: run:line, or run:payment for a payment no line settled), the
adapter, the business date, the class, our amount and the provider's, whether it is still open or
who resolved it how, and the engine's detail.

Options:
  --class <class>          one class: missing_internal, missing_at_provider, amount_mismatch,
                           currency_mismatch, status_mismatch, fee_mismatch, duplicate_settlement,
                           unrecorded_refund, adjustment, batch_total_mismatch, unreadable
  --status <open|resolved> only the open ones, or only the resolved ones
  --adapter <name>         only this adapter's
  --date <YYYY-MM-DD>      only this business date's
  --run <run>              only this run's
  --limit <n>              at most this many, 1..${MAX_LIMIT} (default ${DEFAULT_LIMIT})
  --after <id>             the page after this discrepancy (the "next" of the previous page)
${JSON_OPTION_HELP}: the router's answer, {"discrepancies": […], "next": …}
${ROUTER_HTTP_OPTIONS_HELP}

Example:
  ./run pnpm paymesh recon discrepancies --adapter va --status open --class amount_mismatch`,
  async run({ args, env, print, warn }) {
    const { values } = parseCommandArgs(
      "recon discrepancies",
      args,
      {
        ...ROUTER_HTTP_OPTIONS,
        class: { type: "string" },
        status: { type: "string" },
        adapter: { type: "string" },
        date: { type: "string" },
        run: { type: "string" },
        limit: { type: "string" },
        after: { type: "string" },
        ...JSON_OPTION,
      },
      { names: [] },
    );
    const limit = parseLimit("recon discrepancies", values.limit, {
      max: MAX_LIMIT,
      fallback: DEFAULT_LIMIT,
    });
    // The router checks every filter and names the one it refuses; the CLI passes them as given.
    const query = new URLSearchParams({ limit: String(limit) });
    for (const name of ["class", "status", "adapter", "date", "run", "after"] as const) {
      const value = values[name];
      if (value !== undefined) query.set(name, value);
    }
    const answer = await callRouterAdmin(
      resolveRouterHttpTarget(values, env),
      "GET",
      `/admin/recon/discrepancies?${query}`,
    );
    const discrepancies = listOf<ReconDiscrepancy>(answer, "discrepancies", "GET /admin/recon/discrepancies");
    if (values.json === true) {
      printJson(print, answer);
      return 0;
    }
    if (discrepancies.length === 0) {
      print("no discrepancies");
      return 0;
    }
    for (const line of discrepancyTable(discrepancies)) print(line);
    const next = (answer as { next?: unknown }).next;
    if (typeof next === "string") warn(`(there may be more: --after ${next})`);
    return 0;
  },
};
