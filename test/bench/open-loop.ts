import { createHistogram, performance, type RecordableHistogram } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/** What one run at a fixed rate produced. Latencies are in microseconds, from each scheduled start. */
export interface OpenLoopResult {
  rate: number;
  scheduled: number;
  ok: number;
  errors: number;
  /** gRPC status code (or the error's name) of each failure, counted. */
  errorCodes: Map<string, number>;
  /** The first failure's message for each code, so a report can say what went wrong. */
  errorExamples: Map<string, string>;
  /** Seconds from the first scheduled start to the last answer or failure. */
  seconds: number;
  latencyUs: RecordableHistogram;
  /** How late the load generator itself started each call; large values mean the generator fell behind. */
  startLagUs: RecordableHistogram;
}

/** Microsecond histograms up to ten minutes, three significant digits (Node's HdrHistogram binding). */
const histogram = (): RecordableHistogram => createHistogram({ lowest: 1, highest: 600_000_000, figures: 3 });
const micros = (ms: number): number => Math.max(1, Math.round(ms * 1000));

/**
 * Starts `call` `rate` times a second for `seconds` on a fixed schedule, without waiting for earlier
 * answers, then waits for every call to settle. Each latency is measured from the call's scheduled
 * start, not from when it was sent, so time spent queued behind a slow path (or a late generator)
 * counts: a closed loop would instead slow down and hide it. Each call's deadline is its scheduled
 * start plus `timeoutMs`, so a run that cannot keep up ends with failures, not an endless backlog.
 */
export async function runOpenLoop(
  call: (i: number, deadline: Date) => Promise<unknown>,
  rate: number,
  seconds: number,
  timeoutMs: number,
): Promise<OpenLoopResult> {
  const total = Math.round(rate * seconds);
  const intervalMs = 1000 / rate;
  const latencyUs = histogram();
  const startLagUs = histogram();
  const errorCodes = new Map<string, number>();
  const errorExamples = new Map<string, string>();
  const settled: Promise<void>[] = [];
  let ok = 0;
  let errors = 0;
  let lastSettled = 0;
  const origin = performance.now();
  const wallOrigin = Date.now();
  const send = (i: number, now: number): void => {
    const scheduled = origin + i * intervalMs;
    startLagUs.record(micros(now - scheduled));
    const deadline = new Date(wallOrigin + (scheduled - origin) + timeoutMs);
    settled.push(
      call(i, deadline).then(
        () => {
          lastSettled = performance.now();
          latencyUs.record(micros(lastSettled - scheduled));
          ok++;
        },
        (error: unknown) => {
          lastSettled = performance.now();
          errors++;
          const code = String((error as { code?: unknown }).code ?? (error as Error).name);
          errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
          if (!errorExamples.has(code)) errorExamples.set(code, String((error as Error).message));
        },
      ),
    );
  };
  let next = 0;
  while (next < total) {
    const now = performance.now();
    // Catch up on every start that is due: a generator woken late still keeps the schedule's count.
    while (next < total && origin + next * intervalMs <= now) send(next++, now);
    await sleep(Math.max(0, origin + next * intervalMs - performance.now()));
  }
  await Promise.all(settled);
  return {
    rate,
    scheduled: total,
    ok,
    errors,
    errorCodes,
    errorExamples,
    seconds: (lastSettled - origin) / 1000,
    latencyUs,
    startLagUs,
  };
}

/**
 * Whether the path kept up with the rate: every call answered without error, and answers arrived at
 * no less than 95% of the offered rate over the whole run (a path that falls behind drains its
 * backlog after the schedule ends, which stretches the run).
 */
export function sustained(result: OpenLoopResult): boolean {
  return result.errors === 0 && result.ok / result.seconds >= 0.95 * result.rate;
}
