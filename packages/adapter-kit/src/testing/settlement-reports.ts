import type { adapterv1 } from "@paymesh/proto";
import { createTestClock, retainedHeapBytes, type TestClock } from "@paymesh/test-kit";
import { afterEach, beforeEach } from "vitest";
import type { AdapterClient, AdapterHarness, Closable } from "./served-adapter.ts";

/** A settlement report as the router would receive it: every line, every batch's totals. */
export interface StreamedReport {
  lines: adapterv1.Settlement[];
  batches: adapterv1.SettlementBatch[];
}

/** Reads a whole ListSettlements stream for `date` (a test's report is small). */
export async function streamReport(client: AdapterClient, date: string): Promise<StreamedReport> {
  const lines: adapterv1.Settlement[] = [];
  const batches: adapterv1.SettlementBatch[] = [];
  const options = { deadline: new Date(Date.now() + 20_000) };
  for await (const message of client.listSettlements({ date }, options)) {
    lines.push(...message.settlements);
    if (message.batch !== undefined) batches.push(message.batch);
  }
  return { lines, batches };
}

/**
 * `POST /sim/settlement-report` on a simulator (discrepancies to inject, or a report to
 * synthesize); throws with the simulator's answer unless it took the setup.
 */
export async function setUpSettlementReport(simulatorUrl: string, body: unknown): Promise<void> {
  const answer = await fetch(`${simulatorUrl}/sim/settlement-report`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  if (answer.status !== 200) throw new Error(`settlement report setup refused: ${await answer.text()}`);
}

/** Lines whose payment id or provider reference is `id`. */
export function linesOf(report: StreamedReport, id: string): adapterv1.Settlement[] {
  return report.lines.filter((line) => line.paymentId === id || line.providerReference === id);
}

/** What {@link readLargeReport} saw. */
export interface LargeReportReading {
  /** Lines received. */
  lines: number;
  /** Pages the simulator had served once paging stopped during the pause. */
  pagesWhilePaused: number;
  /** Pages the simulator served in all. */
  pages: number;
  /** Retained heap halfway through, less retained heap before the first line. */
  retainedGrowth: number;
}

/**
 * Reads a large report the way a slow reader would: after the first `pauseAfter` lines it stops
 * until the simulator's page count (`pages`) no longer moves, the proof that the adapter pages on
 * demand and does not read ahead; halfway it measures retained heap with `heap` (the test kit's
 * `retainedHeapBytes`), the proof that read lines are not kept.
 */
export async function readLargeReport(
  client: AdapterClient,
  options: {
    date: string;
    expectedLines: number;
    pauseAfter: number;
    pages: () => number;
    heap: () => number;
  },
): Promise<LargeReportReading> {
  const before = options.heap();
  let lines = 0;
  let pagesWhilePaused = Number.POSITIVE_INFINITY;
  let retainedGrowth = Number.POSITIVE_INFINITY;
  const stream = client.listSettlements({ date: options.date }, { deadline: new Date(Date.now() + 300_000) });
  for await (const message of stream) {
    const previous = lines;
    lines += message.settlements.length;
    if (previous < options.pauseAfter && lines >= options.pauseAfter) {
      // The transport's buffers take a few pages; then paging must stop until the reader goes on.
      pagesWhilePaused = await pagesOncePaused(options.pages);
    }
    const half = options.expectedLines / 2;
    if (previous < half && lines >= half) retainedGrowth = options.heap() - before;
  }
  return { lines, pagesWhilePaused, pages: options.pages(), retainedGrowth };
}

/**
 * The page count once the server has stopped fetching pages for a reader that stopped reading: the
 * same count for a second (ten checks in a row) ends the wait. A server that never stops paging
 * fails it after 20 s instead of looping for as long as the report lasts.
 */
async function pagesOncePaused(pages: () => number): Promise<number> {
  const deadline = Date.now() + 20_000;
  let last = pages();
  for (let unchanged = 0; unchanged < 10; ) {
    if (Date.now() > deadline) throw new Error(`the report was still being paged after 20 s (${last} pages)`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = pages();
    unchanged = now === last ? unchanged + 1 : 0;
    last = now;
  }
  return last;
}

/** One business day of an adapter's settlement reports under test; see {@link useSettlementDay}. */
export interface SettlementDay<H extends AdapterHarness<Closable & { url: string }>> {
  /** The business day, "2024-03-05". */
  date: string;
  /** The simulator's and the adapter's clock, back at 10:00 WIB (03:00 UTC) of the day before each test. */
  clock: TestClock;
  /** The current test's harness. */
  readonly harness: H;
  /** The adapter's whole report for `date` (default: the day), streamed as the router would read it. */
  report(date?: string): Promise<StreamedReport>;
  /** {@link setUpSettlementReport} on the harness's simulator. */
  setUpReport(body: unknown): Promise<void>;
  /**
   * Has the simulator synthesize the day's report (`lines` lines from `seed`) and reads it the way
   * {@link readLargeReport} does; `pages` is the simulator's count of the pages it served.
   */
  readSynthesized(options: {
    lines: number;
    seed: number;
    pauseAfter: number;
    pages: () => number;
  }): Promise<LargeReportReading>;
}

/**
 * Registers, in the calling test file, a fresh harness for every test (`start` on the day's test
 * clock), closed after it: the common ground of each adapter's settlement report tests.
 */
export function useSettlementDay<H extends AdapterHarness<Closable & { url: string }>>(
  start: (now: () => Date) => Promise<H>,
): SettlementDay<H> {
  const date = "2024-03-05";
  const morning = new Date(`${date}T03:00:00Z`);
  const clock = createTestClock(morning);
  let current: H | undefined;
  const harness = (): H => {
    if (current === undefined) throw new Error("the settlement day's harness is used outside a test");
    return current;
  };
  beforeEach(async () => {
    clock.set(morning);
    current = await start(clock.now);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    date,
    clock,
    get harness() {
      return harness();
    },
    report: (reportDate = date) => streamReport(harness().client, reportDate),
    setUpReport: (body) => setUpSettlementReport(harness().simulator.url, body),
    async readSynthesized({ lines, seed, pauseAfter, pages }) {
      await setUpSettlementReport(harness().simulator.url, { date, synthesize: { lines, seed } });
      return readLargeReport(harness().client, {
        date,
        expectedLines: lines,
        pauseAfter,
        pages,
        heap: retainedHeapBytes,
      });
    },
  };
}
