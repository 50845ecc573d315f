import { describe, expect, it } from "vitest";
import { customerTransactionId } from "./customer-transaction-id.ts";
import { parseWiseJson, plainDecimal, rewriteJson, wiseNumber } from "./wise-json.ts";
import { maskAccountNumber, maskBody, maskName } from "./wise-masking.ts";

describe("Wise JSON numbers", () => {
  it("reads every number as its exact source text", () => {
    expect(
      parseWiseJson(
        '{"rate":0.0000504,"amount":12345678901234567.89,"id":468956,"small":6.4E-5,"list":[1.10]}',
      ),
    ).toEqual({
      rate: "0.0000504",
      amount: "12345678901234567.89",
      id: "468956",
      small: "0.000064",
      list: ["1.10"],
    });
  });

  it("writes decimal text as bare JSON numbers, and refuses anything else", () => {
    expect(JSON.stringify({ sourceAmount: wiseNumber("1500000.00"), jpy: wiseNumber("10000") })).toBe(
      '{"sourceAmount":1500000.00,"jpy":10000}',
    );
    expect(() => wiseNumber("1e5")).toThrow(RangeError);
    expect(() => wiseNumber("NaN")).toThrow(RangeError);
  });

  it("expands exponent notation", () => {
    expect(plainDecimal("1.2E-5")).toBe("0.000012");
    expect(plainDecimal("1.5e3")).toBe("1500");
    expect(plainDecimal("-2.50E+1")).toBe("-25");
    expect(plainDecimal("1E2")).toBe("100");
    expect(plainDecimal("12.5")).toBe("12.5");
  });

  it("rewrites values and keeps numbers byte-exact", () => {
    expect(rewriteJson('{"a":1.10,"b":"x"}', (key, value) => (key === "b" ? "y" : value))).toBe(
      '{"a":1.10,"b":"y"}',
    );
  });
});

describe("masking", () => {
  it("masks names to a first letter and account numbers to their last four", () => {
    expect(maskName("Ann Smith")).toBe("A***");
    expect(maskName("")).toBe("");
    expect(maskAccountNumber("37778842")).toBe("****8842");
    expect(maskAccountNumber("DE89 3704 0044 0532 0130 00")).toBe("****3000");
    expect(maskAccountNumber("123")).toBe("****");
  });

  it("masks request and response bodies, error arguments included, keeping amounts exact", () => {
    const body =
      '{"accountHolderName":"Ann Smith","amount":1500000.00,"details":{"sortCode":"040075","accountNumber":"37778842"},"errors":[{"path":"accountNumber","arguments":["accountNumber","12345"]}],"description":"Sent money to Ann Smith"}';
    expect(maskBody(body)).toBe(
      '{"accountHolderName":"A***","amount":1500000.00,"details":{"sortCode":"040075","accountNumber":"****8842"},"errors":[{"path":"accountNumber","arguments":["accountNumber","****2345"]}],"description":"S***"}',
    );
    expect(maskBody("<html>502</html>")).toBe("<html>502</html>");
  });
});

describe("customerTransactionId", () => {
  it("is a stable RFC 4122 version 5 UUID per payment id", () => {
    const id = customerTransactionId("pay_01hq3example0000000000000");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(customerTransactionId("pay_01hq3example0000000000000")).toBe(id);
    expect(customerTransactionId("pay_01hq3example0000000000001")).not.toBe(id);
    // Pinned (Python's uuid.uuid5 agrees): a new namespace or algorithm would let a retried payment
    // make a second transfer.
    expect(customerTransactionId("pay_fixed")).toBe("0f2c023a-9abe-50e1-a855-f42bf358e905");
  });
});
