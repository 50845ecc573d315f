import { createMonthPartitions, ensurePartitions, monthStart } from "./partitions.ts";
import type { SqlClient } from "./sql-client.ts";

/** Options for createPartitionKeeper. */
export interface PartitionKeeperOptions {
  sql: SqlClient;
  clock: () => Date;
  /** @default 3 */
  monthsAhead?: number;
  /**
   * How often the months ahead are re-ensured in a long-running process.
   * @default 21600000 (6 hours)
   */
  intervalMs?: number;
  /** A background run failed; the next one retries. @default ignore */
  onError?: (error: unknown) => void;
}

/** Keeps the journal and exchange partitions ahead of time for one store instance. */
export interface PartitionKeeper {
  /** Ensures the months around `now`; run on open and by the timer. */
  ensureAround(now: Date): Promise<string[]>;
  /**
   * Makes sure the months of these instants have partitions before rows are written there. Rows
   * carry timestamps from other clocks (a record's createdAt, an adapter's startedAt), and a row
   * with no partition would fail the whole write; known months cost nothing.
   */
  cover(instants: readonly Date[]): Promise<void>;
  stop(): void;
}

/**
 * Creates the partitions on a timer (unref'd, so it never keeps a process alive) and on demand
 * for months it has not seen yet, remembering which months exist.
 */
export function createPartitionKeeper(options: PartitionKeeperOptions): PartitionKeeper {
  const { sql, clock } = options;
  const monthsAhead = options.monthsAhead ?? 3;
  const onError = options.onError ?? (() => {});
  // Month start (ms) → the creation that covers it; concurrent writers share one creation.
  const covered = new Map<number, Promise<unknown>>();

  async function ensureAround(now: Date): Promise<string[]> {
    const names = await ensurePartitions(sql, now, { monthsAhead });
    for (let offset = -1; offset <= monthsAhead; offset++) {
      covered.set(monthStart(now, offset).getTime(), Promise.resolve());
    }
    return names;
  }

  async function cover(instants: readonly Date[]): Promise<void> {
    const pending: Promise<unknown>[] = [];
    for (const instant of instants) {
      const month = monthStart(instant);
      let creation = covered.get(month.getTime());
      if (creation === undefined) {
        creation = createMonthPartitions(sql, [month]);
        covered.set(month.getTime(), creation);
        // A failed creation must be retried by the next writer, not remembered.
        creation.catch(() => covered.delete(month.getTime()));
      }
      pending.push(creation);
    }
    await Promise.all(pending);
  }

  const timer = setInterval(
    () => {
      ensureAround(clock()).catch(onError);
    },
    options.intervalMs ?? 6 * 60 * 60 * 1000,
  );
  timer.unref();

  return { ensureAround, cover, stop: () => clearInterval(timer) };
}
