import { describe, expect, it } from "vitest";
import { parseSnapTimestamp, snapDate, snapTimestamp } from "./timestamp.ts";

describe("snapTimestamp", () => {
  it("formats in +07:00 by default, without milliseconds", () => {
    expect(snapTimestamp(new Date("2024-03-05T10:37:16.196Z"))).toBe("2024-03-05T17:37:16+07:00");
  });

  it("rolls the calendar day at the offset", () => {
    expect(snapTimestamp(new Date("2024-12-31T20:00:00Z"))).toBe("2025-01-01T03:00:00+07:00");
    expect(snapDate(new Date("2024-12-31T20:00:00Z"))).toBe("2025-01-01");
  });

  it("supports other offsets", () => {
    expect(snapTimestamp(new Date("2009-07-03T19:08:56Z"), -420)).toBe("2009-07-03T12:08:56-07:00");
    expect(snapTimestamp(new Date("2024-01-01T00:00:00Z"), 0)).toBe("2024-01-01T00:00:00+00:00");
    expect(snapTimestamp(new Date("2024-01-01T00:00:00Z"), 330)).toBe("2024-01-01T05:30:00+05:30");
  });

  it("rejects invalid dates and offsets", () => {
    expect(() => snapTimestamp(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => snapTimestamp(new Date(0), 15 * 60)).toThrow(RangeError);
  });
});

describe("parseSnapTimestamp", () => {
  it("parses what snapTimestamp writes", () => {
    const date = new Date("2024-03-05T10:37:16Z");
    expect(parseSnapTimestamp(snapTimestamp(date)).getTime()).toBe(date.getTime());
    expect(parseSnapTimestamp("2009-07-03T12:08:56-07:00").toISOString()).toBe("2009-07-03T19:08:56.000Z");
  });

  it("accepts fractional seconds and Z", () => {
    expect(parseSnapTimestamp("2024-03-05T10:37:16.196Z").toISOString()).toBe("2024-03-05T10:37:16.196Z");
  });

  it.each([
    "",
    "2024-03-05",
    "2024-03-05T17:37:16",
    "2024-03-05 17:37:16+07:00",
    "2024-03-05T17:37:16+0700",
    "2024-02-30T10:00:00+07:00",
    "2024-13-01T10:00:00+07:00",
    "2024-03-05T24:00:00+07:00",
    "2024-03-05T10:60:00+07:00",
    "2024-03-05T10:00:00+15:00",
    "24-03-05T10:00:00+07:00",
  ])("rejects %j", (value) => {
    expect(() => parseSnapTimestamp(value)).toThrow(RangeError);
  });
});
