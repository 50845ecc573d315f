import { describe, expect, it } from "vitest";
import { createMasker, MASK_RULES, maskAccountNumber, maskName, REDACTED } from "./masker.ts";

describe("createMasker", () => {
  const masker = createMasker({ nameKeys: ["description"] });

  it("masks account numbers, names and secrets at any depth, numbers byte-exact", () => {
    const body =
      '{"amount":100.50,"id":12345678901234567890,"recipient":{"account_number":"1234567890","name":"Budi Santoso"},' +
      '"items":[{"accountNumber":"9876543210"}],"description":"Sent money to Ann","signature":"abc"}';
    expect(masker.maskBody(body)).toBe(
      '{"amount":100.50,"id":12345678901234567890,"recipient":{"account_number":"****7890","name":"B***"},' +
        `"items":[{"accountNumber":"****3210"}],"description":"S***","signature":"${REDACTED}"}`,
    );
  });

  it("masks every run of six or more digits in a body that is not JSON", () => {
    expect(masker.maskBody("<p>account 1234567890 ref 12345</p>")).toBe("<p>account ****7890 ref 12345</p>");
  });

  it("masks quoted pairs by key in a body cut off mid-way, then its digit runs", () => {
    const cut =
      '{"account_holder_name": "Budi Santoso","account_number":"1234567890","api_key":"k","ref":"12345678';
    expect(masker.maskBody(cut)).toBe(
      `{"account_holder_name": "B***","account_number":"****7890","api_key":"${REDACTED}","ref":"****5678`,
    );
  });

  it("lets an adapter mask a provider's own shape", () => {
    const echo = createMasker({
      special: (key, value, self) =>
        key === "arguments" && Array.isArray(value) && typeof value[0] === "string"
          ? value.map((item, index) =>
              index > 0 && typeof item === "string" ? self.maskField(value[0], item) : item,
            )
          : undefined,
    });
    expect(echo.maskBody('{"arguments":["accountNumber","37778842"]}')).toBe(
      '{"arguments":["accountNumber","****8842"]}',
    );
  });

  it("keeps the shared rules for every adapter", () => {
    expect(masker.rules.accountKeys).toEqual(expect.arrayContaining([...MASK_RULES.accountKeys]));
    expect(masker.rules.nameKeys).toContain("description");
    expect(maskAccountNumber("12 34")).toBe("****");
    expect(maskName("  ")).toBe("");
  });
});
