import { describe, expect, it } from "vitest";
import { parseSnapResponseCode, snapResponseCode } from "./response-code.ts";
import { SnapServiceCode } from "./service-codes.ts";
import { snapCaseCode, snapCaseOf } from "./snap-case.ts";

describe("SNAP response codes", () => {
  it("builds HTTP status + service code + case code", () => {
    expect(snapResponseCode(200, SnapServiceCode.qrMpmGenerate, "00")).toBe("2004700");
    expect(snapResponseCode(401, SnapServiceCode.accessToken, "00")).toBe("4017300");
  });

  it("rejects parts that cannot form a code", () => {
    expect(() => snapResponseCode(99, "47", "00")).toThrow(RangeError);
    expect(() => snapResponseCode(200, "4", "00")).toThrow(RangeError);
    expect(() => snapResponseCode(200, "47", "0a")).toThrow(RangeError);
  });

  it("parses a code into its parts", () => {
    expect(parseSnapResponseCode("4094701")).toEqual({ httpStatus: 409, serviceCode: "47", caseCode: "01" });
  });

  it.each(["", "200470", "20047000", "abcdefg", "0004700", "6004700", " 2004700"])("rejects %j", (code) => {
    expect(() => parseSnapResponseCode(code)).toThrow(RangeError);
  });

  it("maps codes to the documented cases by HTTP status and case code together", () => {
    expect(snapCaseCode("invalidToken", SnapServiceCode.qrMpmGenerate)).toBe("4014701");
    expect(snapCaseCode("duplicatePartnerReference", SnapServiceCode.qrMpmGenerate)).toBe("4094701");
    expect(snapCaseOf("4045101")).toBe("transactionNotFound");
    expect(snapCaseOf("4014700")).toBe("unauthorized");
    expect(snapCaseOf("4034714")).toBe("insufficientFunds");
    expect(snapCaseOf("2024700")).toBe("inProgress");
    expect(snapCaseOf("4184799")).toBeUndefined();
  });
});
