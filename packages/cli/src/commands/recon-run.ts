import { RECONCILER_OPTIONS, RECONCILER_OPTIONS_HELP, resolveReconcilerTarget } from "../cli-config.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP, printJson, requireOptions } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import type { ReconRun } from "../recon-lines.ts";

/** `paymesh recon run`: reconciles one adapter's business date now, with progress. */
export const reconRunCommand: Command = {
  help: `Usage: paymesh recon run --adapter <name> --date <YYYY-MM-DD> [options]

Asks the reconciler (ReconciliationRunService.RunReconciliation, an operator's token) to reconcile
the adapter's settlement report for that business date now, with the same engine and guarantees as
the daily schedule: one run per adapter and date, replaced whole when run again (decisions already
in the trail stay), and each discrepancy published to payments.recon. While the report is read,
stderr shows a progress bar with lines per second and the time left when it is a terminal (a
spinner and the rate while the report has not said its size), else a plain line about once a
second. Then the run's totals and amounts per verdict class, as "paymesh recon show" prints them.

Refused: a run of the same adapter and date already in progress (ABORTED RECON_RUN_IN_PROGRESS;
nothing is done, try again when it has finished), a day whose report is not complete yet (its
cut-off plus the adapter's settlement lag has not passed), an adapter the reconciler does not run.
Ctrl-C abandons the run: it is one transaction, so nothing of it stays (the day's earlier verdicts
are kept, and its run says failed, interrupted, until it is run again).

Options:
  --adapter <name>         the adapter, as the reconciler's config names it (e.g. va)
  --date <YYYY-MM-DD>      the business date, in the adapter's cut-off time zone
${JSON_OPTION_HELP}: the run with its "classes" (no progress)
${RECONCILER_OPTIONS_HELP}

Example:
  ./run pnpm paymesh recon run --adapter va --date 2026-12-03 --reconciler 127.0.0.1:50070`,
  async run({ args, env, print, warn, stderr }) {
    const parsed = parseCommandArgs(
      "recon run",
      args,
      { ...RECONCILER_OPTIONS, adapter: { type: "string" }, date: { type: "string" }, ...JSON_OPTION },
      { names: [] },
    );
    const values = requireOptions("recon run", parsed.values, ["adapter", "date"]);
    const target = resolveReconcilerTarget(values, env);
    const [{ createGrpcClient, GrpcCode, isPaymeshError }, { adminv1 }, progress, lines, { reconRunOf }] =
      await Promise.all([
        import("@paymesh/adapter-kit"),
        import("@paymesh/proto"),
        import("../run-progress.ts"),
        import("../recon-lines.ts"),
        import("../recon-run-message.ts"),
      ]);
    const display =
      values.json === true
        ? undefined
        : stderr?.isTTY === true
          ? progress.terminalProgress(stderr)
          : progress.lineProgress(warn);
    const client = createGrpcClient(adminv1.ReconciliationRunService, target.address, {
      metadata: { authorization: `Bearer ${target.token}` },
    });
    let run: ReconRun | undefined;
    try {
      // No deadline: a million-line report takes minutes. Ctrl-C ends the call, and the run with it.
      for await (const { update } of client.runReconciliation({
        adapter: values.adapter,
        businessDate: values.date,
      })) {
        if (update.case === "progress") {
          display?.update({
            phase: update.value.phase === adminv1.RunPhase.MATCHING ? "matching" : "loading",
            linesRead: Number(update.value.linesRead),
            expectedLines: update.value.expectedLines > 0n ? Number(update.value.expectedLines) : undefined,
          });
        } else if (update.case === "run") {
          run = reconRunOf(update.value);
        }
      }
    } catch (error) {
      if (
        isPaymeshError(error) &&
        error.code === GrpcCode.UNAVAILABLE &&
        /^No connection established/.test(error.message)
      ) {
        throw new CliError(`the reconciler at ${target.address} is not reachable: ${error.message}`, {
          cause: error,
          hint: "pass the address it printed at start with --reconciler or PAYMESH_RECONCILER",
        });
      }
      throw error;
    } finally {
      display?.stop();
      client.close();
    }
    if (run === undefined) throw new CliError("recon run: the reconciler ended the call without the run");
    if (values.json === true) printJson(print, run);
    else for (const line of lines.runReport(run)) print(line);
    return 0;
  },
};
