// `pnpm chaos`: drives CHAOS_PAYMENTS payments (default 2000) across the four adapters through the
// router, with CHAOS_FAULT_RATE (default 0.2) of them meeting an injected fault, completes them at
// the simulators, waits for the router to resolve every unknown outcome, and audits the router
// against what each simulator really charged. Prints the report; exits 1 when anything is
// duplicated, lost or contradicts the provider, 2 on bad settings, 3 when the watchdog fires.
// Reproducible: the printed seed (CHAOS_SEED) fixes the plan — methods, amounts, faults, completions.
import { randomInt } from "node:crypto";
import { writeFileSync } from "node:fs";
import type { FullStack } from "../support/full-stack.ts";
import { formatReport, verdict } from "./report.ts";
import { runChaos } from "./run.ts";

function settingError(message: string): never {
  process.stderr.write(`chaos: ${message}\n`);
  process.exit(2);
}

function integerSetting(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = /^0x[0-9a-f]+$/i.test(raw) ? Number.parseInt(raw.slice(2), 16) : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    settingError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function rateSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1)
    settingError(`${name} must be from 0 to 1, got "${raw}"`);
  return value;
}

const seed = integerSetting("CHAOS_SEED", randomInt(0, 2 ** 32), 0, 2 ** 32 - 1);
const payments = integerSetting("CHAOS_PAYMENTS", 2_000, 1, 100_000);
const faultRate = rateSetting("CHAOS_FAULT_RATE", 0.2);
const concurrency = integerSetting("CHAOS_CONCURRENCY", 16, 1, 256);
const budgetMs = integerSetting("CHAOS_BUDGET_MS", 20 * 60_000, 60_000, 6 * 60 * 60_000);

let stack: FullStack | undefined;
const stopStack = async (): Promise<void> => {
  await stack?.stop().catch(() => undefined);
};
const abort = (code: number, why: string): void => {
  process.stderr.write(`chaos: ${why}; stopping every process it started\n`);
  void stopStack().then(() => process.exit(code));
};
// The run bounds itself; this is the backstop if something in it hangs.
const watchdog = setTimeout(
  () => abort(3, `watchdog: still running after ${budgetMs + 120_000} ms`),
  budgetMs + 120_000,
);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => abort(130, `got ${signal}`));

process.stderr.write(
  `chaos: seed ${seed}, ${payments} payments, fault rate ${faultRate}, concurrency ${concurrency}\n`,
);
try {
  const result = await runChaos({
    seed,
    payments,
    faultRate,
    concurrency,
    budgetMs,
    log: (line) => process.stderr.write(`chaos: ${line}\n`),
    onStack: (started) => {
      stack = started;
    },
  });
  process.stdout.write(`${formatReport(result)}\n`);
  // CHAOS_DETAIL=<file>: every payment's story (plan, attempts, events, router and provider state).
  const detail = process.env.CHAOS_DETAIL;
  if (detail !== undefined && detail !== "") {
    writeFileSync(detail, `${result.audit.stories.join("\n")}\n`);
    process.stderr.write(`chaos: every payment's story is in ${detail}\n`);
  }
  process.exitCode = verdict(result).length === 0 ? 0 : 1;
} catch (error) {
  process.stderr.write(
    `chaos: the run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  await stopStack();
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
}
