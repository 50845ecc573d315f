import { status } from "@grpc/grpc-js";
import { decimal } from "./decimal.ts";
import { type OpenLoopResult, sustained } from "./open-loop.ts";

/** One path's runs at fixed rates, in the order of the rates. */
export interface LatencyRow {
  name: string;
  results: readonly OpenLoopResult[];
  /** Router paths also get a row of latency added over the forwarder. */
  isRouter: boolean;
}

const percentiles = [50, 99, 99.9] as const;
/** Milliseconds at a percentile of a run's answered calls; undefined when none was answered. */
const atPercentile = (result: OpenLoopResult, p: number): number | undefined =>
  result.ok === 0 ? undefined : result.latencyUs.percentile(p) / 1000;
const ms = (value: number | undefined): string => (value === undefined ? "–" : decimal(value, 2));

const codeName = (code: string): string => status[Number(code)] ?? code;

/** Failures counted by gRPC status name, e.g. "DEADLINE_EXCEEDED 12". */
function failures(result: OpenLoopResult): string {
  return [...result.errorCodes].map(([code, count]) => `${codeName(code)} ${count}`).join(", ");
}

/**
 * Prints, as Markdown, each path's latency percentiles at each rate (with what fraction it answered
 * and whether it kept up) and the first message of each kind of failure, then each router's added
 * latency over the path named `floor`: the difference of the two paths' percentiles at that rate.
 */
export function printLatencyTables(rows: readonly LatencyRow[], floor: string): void {
  console.log(
    "| req/s offered | path | scheduled | answered OK | failures | answers/s | kept up | p50 ms | p99 ms | p99.9 ms | max ms | generator lag p99 ms |",
  );
  console.log("|---:|---|---:|---:|---|---:|---|---:|---:|---:|---:|---:|");
  const rates = rows[0]?.results.map((result) => result.rate) ?? [];
  for (const [index, rate] of rates.entries()) {
    for (const row of rows) {
      const result = row.results[index];
      if (result === undefined) continue;
      const answered = `${result.ok} (${decimal((result.ok / result.scheduled) * 100, 1)}%)`;
      const cells = [
        rate,
        row.name,
        result.scheduled,
        answered,
        failures(result),
        decimal(result.ok / result.seconds, 0),
        sustained(result) ? "yes" : "**no**",
        ...percentiles.map((p) => ms(atPercentile(result, p))),
        ms(result.ok === 0 ? undefined : result.latencyUs.max / 1000),
        ms(result.startLagUs.percentile(99) / 1000),
      ];
      console.log(`| ${cells.join(" | ")} |`);
    }
  }
  for (const row of rows) {
    for (const result of row.results) {
      for (const [code, message] of result.errorExamples)
        console.log(`first ${codeName(code)} on ${row.name} at ${result.rate} req/s: ${message}`);
    }
  }
  const floorRow = rows.find((row) => row.name === floor);
  if (floorRow === undefined) return;
  console.log();
  console.log(
    `Added latency over the ${floor} at the same rate (ms; a path that did not keep up is marked):`,
  );
  console.log("| req/s offered | path | + p50 ms | + p99 ms | + p99.9 ms |");
  console.log("|---:|---|---:|---:|---:|");
  for (const [index, rate] of rates.entries()) {
    const base = floorRow.results[index];
    if (base === undefined) continue;
    for (const row of rows.filter((r) => r.isRouter)) {
      const result = row.results[index];
      if (result === undefined) continue;
      const added = percentiles.map((p) => {
        const mine = atPercentile(result, p);
        const theirs = atPercentile(base, p);
        return mine === undefined || theirs === undefined ? "–" : decimal(mine - theirs, 2);
      });
      const kept = sustained(result) && sustained(base) ? "" : " (not kept up)";
      console.log(`| ${rate} | ${row.name}${kept} | ${added.join(" | ")} |`);
    }
  }
}
