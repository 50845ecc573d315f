import { describe, expect, it } from "vitest";
import { maskAccountNumber, maskBody, maskName } from "./mask.ts";

describe("masking", () => {
  it("keeps the last 4 digits of account numbers and the first letter of names", () => {
    expect(maskAccountNumber("123456789012")).toBe("********9012");
    expect(maskAccountNumber("123")).toBe("***");
    expect(maskName("Budi Santoso")).toBe("B***");
    expect(maskName("")).toBe("");
  });

  it("masks every VA number and name in a JSON body, however deep", () => {
    const body = JSON.stringify({
      va_numbers: [{ bank: "bca", va_number: "12345000011112222" }],
      permata_va_number: "8562000012345678",
      bank_transfer: { va_number: "1234567890", permata: { recipient_name: "SITI" } },
      customer_details: { first_name: "Siti", last_name: "Aminah" },
      gross_amount: "25000.00",
    });
    expect(JSON.parse(maskBody(body))).toEqual({
      va_numbers: [{ bank: "bca", va_number: "*************2222" }],
      permata_va_number: "************5678",
      bank_transfer: { va_number: "******7890", permata: { recipient_name: "S***" } },
      customer_details: { first_name: "S***", last_name: "A***" },
      gross_amount: "25000.00",
    });
  });

  it("masks long digit runs in a body that is not JSON", () => {
    expect(maskBody("va 12345678901 amount 25000")).toBe("va *******8901 amount 25000");
    expect(maskBody("")).toBe("");
  });
});
