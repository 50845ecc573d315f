import { describe, expect, it } from "vitest";
import { EVERY_METHOD } from "./contract/payment-fixtures.ts";
import { maskedMethod } from "./payment-record.ts";

describe("maskedMethod", () => {
  it("masks the remittance recipient's account details but shows the bank's routing codes", () => {
    const remittance = EVERY_METHOD.find((method) => method.case === "remittance");
    if (remittance === undefined) throw new Error("the fixtures have a remittance method");
    const masked = maskedMethod(remittance);
    expect(masked.case === "remittance" && masked.value.recipient?.details).toEqual({
      bank_code: "BDO",
      account_number: "****7766",
    });
    expect(JSON.stringify(masked.value)).not.toContain("0099887766");
  });

  it("masks a bank transfer's account number", () => {
    const transfer = EVERY_METHOD.find((method) => method.case === "bankTransfer");
    if (transfer === undefined) throw new Error("the fixtures have a bank transfer method");
    const masked = maskedMethod(transfer);
    expect(masked.case === "bankTransfer" && masked.value.accountNumber).toBe("****7890");
  });
});
