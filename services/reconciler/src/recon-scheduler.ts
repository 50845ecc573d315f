import type { WorkQueue } from "@paymesh/queue";
import { migrate, readText, type SqlClient } from "@paymesh/store";
import { reconJobMessage } from "./recon-job.ts";
import { type AdapterSchedule, dueBusinessDates } from "./recon-schedule.ts";

/** Options for {@link createReconScheduler}. */
export interface ReconSchedulerOptions {
  sql: SqlClient;
  /** The `paymesh.recon` work queue the jobs go to. */
  queue: WorkQueue;
  /** Adapter name → when its runs fall due. */
  adapters: Readonly<Record<string, AdapterSchedule>>;
  /** How many days back a returning reconciler looks for days it missed. @default 7 */
  lookBackDays?: number;
  /** How often it looks for due runs. @default 60_000 */
  intervalMs?: number;
  /** @default () => new Date() */
  clock?: () => Date;
  /** A tick failed (the database or the broker away); the next tick tries again. */
  onError?: (error: unknown) => void;
}

/** A run the scheduler created, and whose job it published. */
export interface ScheduledRun {
  adapter: string;
  businessDate: string;
}

/** The scheduler of daily runs; see {@link createReconScheduler}. */
export interface ReconScheduler {
  /** Creates and publishes the runs due now; what this call created (others may have created the rest). */
  tick(): Promise<ScheduledRun[]>;
  /** Ticks now and then every `intervalMs` until stop. */
  start(): void;
  /** Stops ticking; waits for a tick in progress. */
  stop(): Promise<void>;
}

/**
 * Makes each due (adapter, business date) run exist once and its job published once, however
 * many reconcilers tick at the same time. The run row is inserted in a transaction that publishes
 * the job before it commits: the unique (adapter, business date) key makes a concurrent
 * scheduler's insert wait for that commit and then do nothing, and a failed publish rolls the row
 * back for the next tick to try again. A process that dies between the publish and the commit
 * leaves a job without a row; the next tick publishes it again and the worker, finding the run
 * done, does not run it twice. Days already created are never scheduled again: a run that failed
 * for good waits in the dead-letter queue for a person.
 *
 * An in-process queue (not `durable`) dies with its process, and with it the jobs of runs not yet
 * done and its dead letters: so the first tick of a scheduler on one queues again every run of the
 * look-back window that has not completed (pending, or failed) and that was created before this
 * scheduler was (not a concurrent scheduler's fresh run), or a run stopped by Ctrl-C would never
 * finish.
 */
export function createReconScheduler(options: ReconSchedulerOptions): ReconScheduler {
  const { sql, queue } = options;
  const lookBackDays = options.lookBackDays ?? 7;
  const intervalMs = options.intervalMs ?? 60_000;
  const clock = options.clock ?? (() => new Date());
  let migrated: Promise<unknown> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const createdAt = clock();
  let resumed: Promise<void> | undefined = queue.durable ? Promise.resolve() : undefined;

  // The runs of the window whose jobs died with the previous process's in-process queue.
  async function resumeUnfinished(now: Date): Promise<void> {
    for (const [adapter, schedule] of Object.entries(options.adapters)) {
      const rows = await sql.query(
        `SELECT to_char(business_date, 'YYYY-MM-DD') AS business_date FROM recon_runs
         WHERE adapter = $1 AND business_date = ANY($2::text[]::date[]) AND status <> 'completed'
           AND created_at < $3
         ORDER BY business_date`,
        [adapter, dueBusinessDates(now, schedule, lookBackDays), createdAt],
      );
      for (const row of rows)
        await queue.enqueue(reconJobMessage({ adapter, businessDate: readText(row, "business_date") }));
    }
  }

  async function tick(): Promise<ScheduledRun[]> {
    migrated ??= migrate(sql);
    await migrated;
    const now = clock();
    resumed ??= resumeUnfinished(now).catch((error: unknown) => {
      resumed = undefined;
      throw error;
    });
    await resumed;
    const created: ScheduledRun[] = [];
    for (const [adapter, schedule] of Object.entries(options.adapters)) {
      const dates = dueBusinessDates(now, schedule, lookBackDays);
      const known = await sql.query(
        `SELECT to_char(business_date, 'YYYY-MM-DD') AS business_date FROM recon_runs
         WHERE adapter = $1 AND business_date = ANY($2::text[]::date[])`,
        [adapter, dates],
      );
      const existing = new Set(known.map((row) => readText(row, "business_date")));
      // Oldest first: a reconciler catching up runs the days in order.
      for (const businessDate of dates.filter((date) => !existing.has(date)).reverse()) {
        const inserted = await sql.transaction(async (tx) => {
          const rows = await tx.query(
            `INSERT INTO recon_runs (adapter, business_date, status, attempts, created_at)
             VALUES ($1, $2::date, 'pending', 0, $3) ON CONFLICT (adapter, business_date) DO NOTHING RETURNING id`,
            [adapter, businessDate, now],
          );
          if (rows.length === 0) return false;
          await queue.enqueue(reconJobMessage({ adapter, businessDate }));
          return true;
        });
        if (inserted) created.push({ adapter, businessDate });
      }
    }
    return created;
  }

  const safeTick = (): void => {
    ticking = tick().catch((error: unknown) => options.onError?.(error));
  };

  return {
    tick,
    start() {
      if (timer !== undefined || stopped) return;
      safeTick();
      timer = setInterval(() => {
        // A slow tick is not overlapped by the next.
        void ticking.then(() => {
          if (!stopped) safeTick();
        });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await ticking;
    },
  };
}
