import { maskAccountNumber, maskName } from "@paymesh/adapter-kit";
import { describe, expect, it } from "vitest";
import { xenditMasker } from "../src/xendit-client.ts";

const { maskBody } = xenditMasker;

describe("masking Xendit bodies", () => {
  it("keeps the last 4 digits of account numbers and the initial of names", () => {
    expect(maskAccountNumber("1234567890")).toBe("****7890");
    expect(maskAccountNumber("123")).toBe("****");
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
    expect(JSON.parse(maskBody(text))).toEqual({
      external_id: "pay_1",
      amount: 150000,
      account_number: "****7890",
      account_holder_name: "B***",
      nested: [{ accountNumber: "****2101", accountHolderName: "S***" }],
    });
    expect(maskBody('{"amount":150000.50,"id":12345678901234567890}')).toBe(
      '{"amount":150000.50,"id":12345678901234567890}',
    );
    expect(maskBody("")).toBe("");
  });

  it("masks by key and by digit run when the text is not valid JSON", () => {
    const truncated = '{"account_number":"1234567890","account_holder_name":"Budi Santoso","amount":15';
    const masked = maskBody(truncated);
    expect(masked).toBe('{"account_number":"****7890","account_holder_name":"B***","amount":15');
    expect(maskBody("<html>502</html>")).toBe("<html>502</html>");
    expect(maskBody("<pre>account 1234567890 refused</pre>")).toBe("<pre>account ****7890 refused</pre>");
  });
});
