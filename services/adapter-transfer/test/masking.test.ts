import { describe, expect, it } from "vitest";
import { maskAccountNumber, maskJsonText, maskName } from "../src/masking.ts";

describe("masking", () => {
  it("keeps the last 4 digits of account numbers and the initial of names", () => {
    expect(maskAccountNumber("1234567890")).toBe("******7890");
    expect(maskAccountNumber("123")).toBe("***");
    expect(maskName("  Budi Santoso")).toBe("B***");
    expect(maskName("")).toBe("");
  });

  it("masks JSON at any depth and leaves other fields byte-for-byte", () => {
    const text = JSON.stringify({
      external_id: "pay_1",
      amount: 150000,
      account_number: "1234567890",
      account_holder_name: "Budi Santoso",
      nested: [{ accountNumber: "98765432101", accountHolderName: "Siti" }],
    });
    expect(JSON.parse(maskJsonText(text))).toEqual({
      external_id: "pay_1",
      amount: 150000,
      account_number: "******7890",
      account_holder_name: "B***",
      nested: [{ accountNumber: "*******2101", accountHolderName: "S***" }],
    });
    expect(maskJsonText("")).toBe("");
  });

  it("masks by pattern when the text is not valid JSON", () => {
    const truncated = '{"account_number":"1234567890","account_holder_name":"Budi Santoso","amount":15';
    const masked = maskJsonText(truncated);
    expect(masked).toBe('{"account_number":"******7890","account_holder_name":"B***","amount":15');
    expect(maskJsonText("<html>502</html>")).toBe("<html>502</html>");
  });
});
