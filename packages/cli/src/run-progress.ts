import { SingleBar } from "cli-progress";

/** Where a reconciliation run is, as `recon run` hears it from the reconciler. */
export interface RunStep {
  phase: "loading" | "matching";
  linesRead: number;
  /** How many lines the report says it holds; undefined while it has not said. */
  expectedLines: number | undefined;
}

/** Shows a run's progress somewhere; `stop` leaves the last state on screen. */
export interface ProgressDisplay {
  update(step: RunStep): void;
  stop(): void;
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * A progress bar redrawn in place on a terminal (cli-progress): lines read of the report's stated
 * total, lines per second and the time left. While the report has not said how large it is, a
 * spinner with the count and the rate, and no time left; while matching, the phase. cli-progress
 * throttles redraws itself and computes the ETA from its recent updates.
 */
export function terminalProgress(stream: NodeJS.WritableStream, now = () => Date.now()): ProgressDisplay {
  const started = now();
  let bar: SingleBar | undefined;
  let sized = false;
  let spins = 0;

  const payload = (step: RunStep) => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    spins += 1;
    return {
      rate: Math.round(step.linesRead / seconds).toLocaleString("en-US"),
      phase: step.phase === "loading" ? "reading the report" : "matching against our payments",
      spinner: SPINNER[spins % SPINNER.length],
      read: step.linesRead.toLocaleString("en-US"),
    };
  };
  const open = (step: RunStep) => {
    bar?.stop();
    sized = step.expectedLines !== undefined;
    bar = new SingleBar({
      stream,
      format: sized
        ? "{bar} {percentage}% | {value}/{total} lines | {rate} lines/s | ETA {eta_formatted} | {phase}"
        : "{spinner} {read} lines | {rate} lines/s | {phase}",
      barsize: 30,
      hideCursor: true,
      etaBuffer: 20,
      // The total only bounds the bar: the stated size leaves out batch totals the engine counts.
      formatValue: (value) => value.toLocaleString("en-US"),
    });
    bar.start(total(step), step.linesRead, payload(step));
  };

  return {
    update(step) {
      if (bar === undefined || (!sized && step.expectedLines !== undefined)) return open(step);
      if (sized) bar.setTotal(total(step));
      bar.update(step.linesRead, payload(step));
    },
    stop() {
      bar?.stop();
    },
  };
}

/** The bar's total: the stated size, or what was read when the engine counted more. */
function total(step: RunStep): number {
  return Math.max(step.expectedLines ?? 0, step.linesRead);
}

/**
 * Progress as plain lines, for a log or a pipe: the first step, every change of phase, and
 * otherwise at most one line every `everyMs`, each whole ("reading the report: 1,200 of 5,000
 * lines (24%), 850 lines/s, about 5 s left"). The last step is written by `stop` if it was not yet.
 */
export function lineProgress(
  write: (line: string) => void,
  options: { everyMs?: number; now?: () => number } = {},
): ProgressDisplay {
  const everyMs = options.everyMs ?? 1_000;
  const now = options.now ?? (() => Date.now());
  const started = now();
  let last: RunStep | undefined;
  let written: RunStep | undefined;
  let writtenAt = Number.NEGATIVE_INFINITY;

  const line = (step: RunStep): string => {
    const read = step.linesRead.toLocaleString("en-US");
    if (step.phase === "matching") return `matching ${read} lines against our payments`;
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = step.linesRead / seconds;
    const perSecond = `${Math.round(rate).toLocaleString("en-US")} lines/s`;
    if (step.expectedLines === undefined) return `reading the report: ${read} lines, ${perSecond}`;
    const expected = Math.max(step.expectedLines, step.linesRead);
    const percent = Math.floor((step.linesRead * 100) / Math.max(expected, 1));
    const left = rate > 0 ? Math.ceil((expected - step.linesRead) / rate) : undefined;
    return (
      `reading the report: ${read} of ${expected.toLocaleString("en-US")} lines (${percent}%), ${perSecond}` +
      (left === undefined ? "" : `, about ${left} s left`)
    );
  };
  const emit = (step: RunStep) => {
    write(line(step));
    written = step;
    writtenAt = now();
  };

  return {
    update(step) {
      last = step;
      if (written === undefined || step.phase !== written.phase || now() - writtenAt >= everyMs) emit(step);
    },
    stop() {
      if (last !== undefined && last !== written) emit(last);
    },
  };
}
