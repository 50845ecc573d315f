import { describe, expect, it } from "vitest";
import { createRedactor, MASK_RULES, maskAccountNumber, maskName, REDACTED } from "./redaction.ts";

describe("createRedactor", () => {
  const redactor = createRedactor();

  it("masks ruled keys at any depth, whatever their case, dashes or prefix", () => {
    expect(
      redactor.maskValue({
        headers: {
          "X-Signature": "sig",
          "x-callback-token": "tok",
          Authorization: "Bearer abc",
          "X-API-KEY": "k",
        },
        beneficiary: { bank_account_number: "1234567890", name: "Budi Santoso", bank_name: "BCA" },
        note: "account 1234567890",
      }),
    ).toEqual({
      headers: {
        "X-Signature": REDACTED,
        "x-callback-token": REDACTED,
        Authorization: REDACTED,
        "X-API-KEY": REDACTED,
      },
      beneficiary: { bank_account_number: "****7890", name: "B***", bank_name: "BCA" },
      // maskValue is the audit record's exact masking: free text is maskLogValue's job.
      note: "account 1234567890",
    });
  });

  it("masks secrets with a shape of their own inside free text", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    const text =
      `loading ${pem} failed; sent Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig to ` +
      `/pay?api_key=sk_live_123&ref=ok with {"account_number": "1234567890", "amount": "100"}; ` +
      `Key (account_number)=(9876543210) exists for pay_01jd5x7k3m9q2w4e6r8t0y1u3i; ` +
      `X-Callback-Token: cb_tok_value; key=xnd_development_P4qDfOss0OCpl8RtKrROHjaQ, Mid-server-abcdEFGH1234`;
    const masked = redactor.maskText(text);
    for (const secret of [
      "MIIEvQ",
      "eyJhbGci",
      "sk_live_123",
      "1234567890",
      "9876543210",
      "cb_tok_value",
      "P4qDfOss0OCpl8RtKrROHjaQ",
      "abcdEFGH1234",
    ]) {
      expect(masked).not.toContain(secret);
    }
    expect(masked).toContain(`Bearer ${REDACTED}`);
    expect(masked).toContain(`api_key=${REDACTED}&ref=ok`);
    expect(masked).toContain('"account_number": "****7890"');
    expect(masked).toContain("(****3210)");
    expect(masked).toContain("pay_01jd5x7k3m9q2w4e6r8t0y1u3i");
    expect(masked).toContain(`X-Callback-Token: ${REDACTED}`);
  });

  it("masks every string of a log value, keys first, then text", () => {
    expect(
      redactor.maskLogValue({ error: "token=abcdef123", cause: ["acct 12345678901"], count: 12345678901 }),
    ).toEqual({ error: `token=${REDACTED}`, cause: ["acct ****8901"], count: 12345678901 });
  });

  it("keeps a logged error's class name while masking a person's name beside it", () => {
    const redactor = createRedactor();
    const line = redactor.maskLogValue({
      err: { type: "PaymeshError", name: "PaymeshError", message: "refused", stack: "PaymeshError: refused" },
      recipient: { name: "Budi Santoso" },
      // Not an error (no stack): a "name" is a person's, even one that ends in "Error".
      customer: { name: "TerrorError", message: "hello" },
    }) as Record<string, Record<string, string>>;
    expect(line.err?.name).toBe("PaymeshError");
    expect(line.recipient?.name).toBe("B***");
    expect(line.customer?.name).toBe("T***");
  });

  it("lets an adapter add keys and a provider's own shape", () => {
    const echo = createRedactor({
      nameKeys: ["description"],
      special: (key, value, self) =>
        key === "arguments" && Array.isArray(value) && typeof value[0] === "string"
          ? value.map((item, index) =>
              index > 0 && typeof item === "string" ? self.maskField(value[0], item) : item,
            )
          : undefined,
    });
    expect(echo.maskValue({ description: "Sent to Ann", arguments: ["accountNumber", "37778842"] })).toEqual({
      description: "S***",
      arguments: ["accountNumber", "****8842"],
    });
    expect(echo.rules.accountKeys).toEqual(expect.arrayContaining([...MASK_RULES.accountKeys]));
    expect(maskAccountNumber("12 34")).toBe("****");
    expect(maskName("  ")).toBe("");
  });
});
