import { FAULT_KINDS } from "./plan.ts";
import { CHAOS_RESOLVER, type ChaosResult } from "./run.ts";

/** Seconds with one decimal, for durations (display only; no money is formatted here). */
const seconds = (ms: number): string =>
  new Intl.NumberFormat("en-US", {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    useGrouping: false,
  }).format(ms / 1000);

/** Percent with one decimal, for shares of the run (display only). */
const percent = (part: number, whole: number): string =>
  new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
    whole === 0 ? 0 : (part * 100) / whole,
  );

/** Why the run fails, or an empty list when it passes. */
export function verdict(result: ChaosResult): string[] {
  const { counts, client, evidence } = result.audit;
  const problems: string[] = [];
  if (counts.duplicates !== 0) problems.push(`${counts.duplicates} duplicates`);
  if (counts.lost !== 0) problems.push(`${counts.lost} lost`);
  if (counts.disagreements !== 0) problems.push(`${counts.disagreements} router/provider disagreements`);
  if (client.harnessErrors !== 0) problems.push(`${client.harnessErrors} harness errors`);
  if (evidence.audit.length !== 0) problems.push("the audit does not add up");
  problems.push(...result.incomplete);
  return problems;
}

/** The run as text: settings, the table the issue asks for, then the detail and any evidence. */
export function formatReport(result: ChaosResult, evidenceLimit = 20): string {
  const { options, mix, audit, timings } = result;
  const { counts, client } = audit;
  const lines: string[] = [];
  const methods = Object.entries(mix.methods)
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");
  const faults = FAULT_KINDS.map((kind) => `${kind} ${mix.faults[kind]}`).join(", ");
  const outcomes = Object.entries(mix.outcomes)
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");
  const completions = Object.entries(mix.completions)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");
  const resolver = Object.entries(CHAOS_RESOLVER)
    .map(([name, value]) => `${name} ${value}`)
    .join(", ");
  lines.push(
    "Paymesh chaos run",
    `  seed          ${options.seed}  (CHAOS_SEED=${options.seed} replays this plan)`,
    `  payments      ${options.payments}: ${methods}; concurrency ${options.concurrency}`,
    `  faults        ${mix.faulted} payments (${percent(mix.faulted, options.payments)}%, rate ${options.faultRate}): ${faults}`,
    `  provider      ${outcomes}`,
    `  completion    ${completions}`,
    `  resolver      ${resolver}`,
    `  duration      ${seconds(timings.totalMs)} s (stack start ${seconds(timings.startMs)} s, drive ${seconds(timings.driveMs)} s, settle ${seconds(timings.settleMs)} s, audit ${seconds(timings.auditMs)} s)`,
    "",
    "| result | count |",
    "|---|---:|",
    `| created | ${counts.created} |`,
    `| succeeded | ${counts.succeeded} |`,
    `| failed | ${counts.failed} |`,
    `| canceled | ${counts.canceled} |`,
    `| expired | ${counts.expired} |`,
    `| awaiting customer (REQUIRES_ACTION, customer never pays) | ${counts.awaitingCustomer} |`,
    `| still processing | ${counts.processing} |`,
    `| resolved-from-unknown | ${counts.resolvedFromUnknown} |`,
    `| duplicates | ${counts.duplicates} |`,
    `| lost | ${counts.lost} |`,
    `| router/provider disagreements | ${counts.disagreements} |`,
    "",
    `caller: ${client.attempts} CreatePayment attempts; unknown outcome on ${client.unknownSeen} payments` +
      ` (retried with the same key ${client.retriedAfterUnknown}, walked away ${client.abandonedAfterUnknown},` +
      ` nothing was created ${client.unknownNothingCreated}); refused ${client.refused}; retries exhausted` +
      ` ${client.exhausted}; quote failed ${client.quoteFailed}; not started ${client.notStarted};` +
      ` harness errors ${client.harnessErrors}`,
    `router: ${client.routerFlaggedUnknown} payments seen outcome_unknown (sampled each second), ${client.routerRaisedReview} raised for review`,
    "",
    "| simulator | charges (/sim/stats) | tied to a run payment | not tied | charged twice | fundings / funded transfers |",
    "|---|---:|---:|---:|---:|---|",
  );
  for (const sim of audit.simulators) {
    const fundings = sim.fundings === undefined ? "-" : `${sim.fundings} / ${sim.fundedTransfers ?? 0}`;
    lines.push(
      `| ${sim.name} | ${sim.charges} | ${sim.attributed} | ${sim.unattributed} | ${sim.chargedTwice.length} | ${fundings} |`,
    );
  }
  lines.push("", "| method | planned | created | succeeded | failed |", "|---|---:|---:|---:|---:|");
  for (const [name, row] of Object.entries(audit.byMethod)) {
    lines.push(`| ${name} | ${row.planned} | ${row.created} | ${row.succeeded} | ${row.failed} |`);
  }
  const reasons = Object.entries(audit.failureReasons)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, n]) => `${reason.replace("ERROR_REASON_", "")} ${n}`)
    .join(", ");
  lines.push("", `FAILED by reason: ${reasons || "none"}`);

  const problems = verdict(result);
  lines.push("", problems.length === 0 ? "verdict: PASS" : `verdict: FAIL (${problems.join("; ")})`);
  for (const [name, entries] of Object.entries(audit.evidence)) {
    if (entries.length === 0) continue;
    lines.push("", `evidence: ${name} (${entries.length}, first ${Math.min(entries.length, evidenceLimit)})`);
    for (const entry of entries.slice(0, evidenceLimit)) lines.push(`- ${entry}`);
  }
  return lines.join("\n");
}
