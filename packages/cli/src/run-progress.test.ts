import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { lineProgress, terminalProgress } from "./run-progress.ts";

/** A stream that says it is a terminal 120 columns wide and keeps what is drawn on it. */
function fakeTerminal() {
  let drawn = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      drawn += String(chunk);
      done();
    },
  });
  Object.assign(stream, {
    isTTY: true,
    columns: 120,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  return { stream, drawn: () => drawn };
}

describe("terminalProgress", () => {
  it("draws a bar with lines per second and the time left once the report has said its size", () => {
    let now = 0;
    const terminal = fakeTerminal();
    const display = terminalProgress(terminal.stream, () => now);
    now = 2_000;
    display.update({ phase: "loading", linesRead: 1_000, expectedLines: 4_000 });
    now = 4_000;
    display.update({ phase: "loading", linesRead: 2_000, expectedLines: 4_000 });
    display.stop();
    expect(terminal.drawn()).toMatch(
      /=+-+ 50% \| 2,000\/4,000 lines \| 500 lines\/s \| ETA \S+ \| reading the report/,
    );
  });

  it("spins with the count and the rate, and no time left, while the size is unknown", () => {
    let now = 0;
    const terminal = fakeTerminal();
    const display = terminalProgress(terminal.stream, () => now);
    now = 1_000;
    display.update({ phase: "loading", linesRead: 1_500, expectedLines: undefined });
    display.stop();
    expect(terminal.drawn()).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 1,500 lines \| 1,500 lines\/s \| reading the report/);
    expect(terminal.drawn()).not.toContain("ETA");
  });
});

describe("lineProgress", () => {
  it("writes the first step, each phase change and one line a second, and the last on stop", () => {
    let now = 0;
    const lines: string[] = [];
    const display = lineProgress((line) => lines.push(line), { now: () => now });
    for (const read of [500, 1_000, 1_500, 2_000]) {
      now += 400;
      display.update({ phase: "loading", linesRead: read, expectedLines: 4_000 });
    }
    now += 100;
    display.update({ phase: "loading", linesRead: 4_000, expectedLines: 4_000 });
    display.update({ phase: "matching", linesRead: 4_000, expectedLines: 4_000 });
    display.stop();
    expect(lines).toEqual([
      "reading the report: 500 of 4,000 lines (12%), 1,250 lines/s, about 3 s left",
      "reading the report: 2,000 of 4,000 lines (50%), 1,250 lines/s, about 2 s left",
      "matching 4,000 lines against our payments",
    ]);
  });

  it("says the count and the rate alone while the report has not said its size", () => {
    let now = 0;
    const lines: string[] = [];
    const display = lineProgress((line) => lines.push(line), { now: () => now });
    now = 2_000;
    display.update({ phase: "loading", linesRead: 3_000, expectedLines: undefined });
    expect(lines).toEqual(["reading the report: 3,000 lines, 1,500 lines/s"]);
  });
});
