import { ROUTER_HTTP_OPTIONS, ROUTER_HTTP_OPTIONS_HELP, resolveRouterHttpTarget } from "../cli-config.ts";
import { usageError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { parseChoice } from "../enum-value.ts";
import { helpHint, JSON_OPTION } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { callRouterAdmin } from "../router-admin.ts";

/** A large run is a large file: the router streams it, and the CLI waits this long for all of it. */
const EXPORT_TIMEOUT_MS = 10 * 60 * 1000;

/** `paymesh recon export`: every verdict of a run, as CSV or JSON, on stdout. */
export const reconExportCommand: Command = {
  help: `Usage: paymesh recon export <run> [--format csv|json] [options]

Asks the router (GET /admin/recon/runs/{run}/export) for every verdict of the run, matched ones
included, in report order (payments no line settled last), and prints it on stdout: CSV with a
header row (RFC 4180, CRLF line ends), or one JSON document {"run": {…}, "verdicts": […]}. Each
verdict has its id, class, the provider's reference, both amounts in minor units, the engine's
detail and, once decided, the resolution. No raw report line is exported.

Arguments:
  <run>                    the run id from "paymesh recon list", e.g. 12

Options:
  --format <csv|json>      the file's format (default csv)
  --json                   the same as --format json
${ROUTER_HTTP_OPTIONS_HELP}

Example:
  ./run pnpm paymesh recon export 12 --format csv > recon-va-2026-12-03.csv`,
  async run({ args, env, print }) {
    const { values, positionals } = parseCommandArgs(
      "recon export",
      args,
      { ...ROUTER_HTTP_OPTIONS, format: { type: "string" }, ...JSON_OPTION },
      { names: ["run"] },
    );
    const format =
      values.format === undefined
        ? values.json === true
          ? "json"
          : "csv"
        : parseChoice("recon export", "format", values.format, ["csv", "json"] as const);
    if (values.json === true && format !== "json") {
      throw usageError(
        "recon export: --json and --format csv contradict each other",
        helpHint("recon export"),
      );
    }
    const run = positionals[0] ?? "";
    const text = await callRouterAdmin(
      resolveRouterHttpTarget(values, env),
      "GET",
      `/admin/recon/runs/${encodeURIComponent(run)}/export?format=${format}`,
      { text: true, timeoutMs: EXPORT_TIMEOUT_MS },
    );
    print(String(text).replace(/\r?\n$/, ""));
    return 0;
  },
};
