// Test helpers for anything that serves /metrics: read a sample out of the exposition text, and
// hold the text to Prometheus's own linter.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/** One sample line of the text format: its metric name, labels and value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] ?? ""] = (pair[2] ?? "").replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    }
    samples.push({ name: match[1] ?? "", labels, value: Number(match[3]) });
  }
  return samples;
}

/**
 * The sum of the samples named `name` whose labels include `labels` (0 when there is none): the
 * value of one series when `labels` names it fully, a total over the others when it does not.
 */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number {
  return parseSamples(text)
    .filter(
      (sample) =>
        sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    )
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** The label sets of every sample named `name`, to assert which series exist. */
export function seriesOf(text: string, name: string): Array<Record<string, string>> {
  return parseSamples(text)
    .filter((sample) => sample.name === name)
    .map((sample) => sample.labels);
}

/** promtool from PATH or Debian's prometheus package; CI installs it, and it is required here too. */
function promtoolPath(): string {
  const candidates = [...(process.env.PATH ?? "").split(delimiter), "/usr/bin"].map((dir) =>
    join(dir, "promtool"),
  );
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new Error(
      "promtool is required to check /metrics output: install Debian's prometheus package (apt-get install -y prometheus)",
    );
  }
  return found;
}

/**
 * Runs `promtool check metrics` on exposition text and returns its complaints ("" when none).
 * Throws when promtool is missing: a metrics test must not pass without the linter.
 */
export function promtoolProblems(text: string): string {
  const result = spawnSync(promtoolPath(), ["check", "metrics"], { input: text, encoding: "utf8" });
  if (result.error !== undefined) throw result.error;
  return `${result.stdout}${result.stderr}`.trim();
}
