import { ErrorReason } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { checkAccountNumber, SUPPORTED_BANK_CODES, xenditBankCode } from "../src/xendit-bank-codes.ts";

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("bank codes and account numbers", () => {
  it("accepts Xendit names in any case and Bank Indonesia codes", () => {
    const bi: Array<[string, string]> = [
      ["002", "BRI"],
      ["008", "MANDIRI"],
      ["009", "BNI"],
      ["011", "DANAMON"],
      ["013", "PERMATA"],
      ["014", "BCA"],
      ["022", "CIMB"],
      ["200", "BTN"],
      ["451", "BSI"],
    ];
    for (const [code, name] of bi) expect(xenditBankCode(code)).toBe(name);
    expect(xenditBankCode(" bca ")).toBe("BCA");
    expect(xenditBankCode("Mandiri")).toBe("MANDIRI");
    expect(SUPPORTED_BANK_CODES).toContain("BSI");
  });

  it("refuses unknown banks with BANK_NOT_SUPPORTED on bank_transfer.bank_code", () => {
    for (const code of ["XYZ", "999", "14", ""]) {
      expect(thrown(() => xenditBankCode(code))).toMatchObject({
        reason: ErrorReason.BANK_NOT_SUPPORTED,
        metadata: { field: "bank_transfer.bank_code" },
      });
    }
  });

  it("checks digits and per-bank lengths, never repeating the number", () => {
    expect(() => checkAccountNumber("BCA", "1234567890")).not.toThrow();
    expect(() => checkAccountNumber("MANDIRI", "1234567890123")).not.toThrow();
    expect(() => checkAccountNumber("BRI", "123456789012345")).not.toThrow();
    expect(() => checkAccountNumber("MAYBANK", "12345")).not.toThrow();
    for (const [bank, number] of [
      ["BCA", "123456789"],
      ["BCA", "12345678901"],
      ["BCA", "12345-7890"],
      ["MANDIRI", "1234567890"],
      ["MAYBANK", "1234"],
      ["MAYBANK", "123456789012345678901"],
    ] as const) {
      const error = thrown(() => checkAccountNumber(bank, number));
      expect(error, `${bank} ${number}`).toMatchObject({
        reason: ErrorReason.INVALID_FIELD,
        metadata: { field: "bank_transfer.account_number" },
      });
      expect(String((error as Error).message)).not.toContain(number);
    }
  });
});
