import { describe, expect, it } from "vitest";
import { wiseMasker } from "../src/wise-mask.ts";

describe("wiseMasker", () => {
  it("masks names to a first letter and account numbers to their last four", () => {
    expect(wiseMasker.maskField("accountHolderName", "Ann Smith")).toBe("A***");
    expect(wiseMasker.maskField("accountHolderName", "")).toBe("");
    expect(wiseMasker.maskField("accountNumber", "37778842")).toBe("****8842");
    expect(wiseMasker.maskField("IBAN", "DE89 3704 0044 0532 0130 00")).toBe("****3000");
    expect(wiseMasker.maskField("accountNumber", "123")).toBe("****");
  });

  it("masks request and response bodies, error arguments included, keeping amounts exact", () => {
    const body =
      '{"accountHolderName":"Ann Smith","amount":1500000.00,"details":{"sortCode":"040075","accountNumber":"37778842"},"errors":[{"path":"accountNumber","arguments":["accountNumber","12345"]}],"description":"Sent money to Ann Smith"}';
    expect(wiseMasker.maskBody(body)).toBe(
      '{"accountHolderName":"A***","amount":1500000.00,"details":{"sortCode":"040075","accountNumber":"****8842"},"errors":[{"path":"accountNumber","arguments":["accountNumber","****2345"]}],"description":"S***"}',
    );
    expect(wiseMasker.maskBody("<html>502</html>")).toBe("<html>502</html>");
  });
});
