import { describe, expect, it } from "vitest";
import { customerTransactionId } from "../src/wise-wire.ts";

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
