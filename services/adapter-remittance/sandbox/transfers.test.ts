import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRemittanceSimulator, type RemittanceSimulator } from "./index.ts";
import { control, gbpRecipient, makeTransfer, wiseRequest } from "./test-support.ts";

let simulator: RemittanceSimulator;
const fund = (id: number) =>
  wiseRequest(
    simulator,
    "POST",
    `/v3/profiles/${simulator.profileId}/transfers/${id}/payments`,
    '{"type":"BALANCE"}',
  );

beforeAll(async () => {
  simulator = await createRemittanceSimulator();
});
beforeEach(() => simulator.reset());
afterAll(() => simulator.close());

describe("POST /v1/accounts", () => {
  it("creates a recipient, and answers an identical one with the same id", async () => {
    const first = await wiseRequest(simulator, "POST", "/v1/accounts", gbpRecipient(simulator.profileId));
    expect(first.body).toMatchObject({
      currency: "GBP",
      type: "sort_code",
      country: "GB",
      details: { accountNumber: "37778842" },
    });
    const again = await wiseRequest(simulator, "POST", "/v1/accounts", gbpRecipient(simulator.profileId));
    expect(again.body.id).toBe(first.body.id);
  });

  it("answers every field-level problem at once, each with its path", async () => {
    const answer = await wiseRequest(
      simulator,
      "POST",
      "/v1/accounts",
      `{"currency":"GBP","type":"sort_code","profile":${simulator.profileId},"accountHolderName":"A","details":{"sortCode":"04-00-7","accountNumber":"12"}}`,
    );
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([
      { code: "NOT_VALID", message: "Please enter the recipient's full name", path: "accountHolderName" },
      {
        code: "NOT_VALID",
        message: "Please specify a valid sort code",
        path: "sortCode",
        arguments: ["sortCode", "04-00-7"],
      },
      {
        code: "NOT_VALID",
        message: "Please specify a valid account number",
        path: "accountNumber",
        arguments: ["accountNumber", "12"],
      },
    ]);
  });

  it("checks IBANs (mod 97), types and the type's currency", async () => {
    const iban = (value: string) =>
      wiseRequest(
        simulator,
        "POST",
        "/v1/accounts",
        `{"currency":"EUR","type":"iban","profile":${simulator.profileId},"accountHolderName":"Jo Bauer","details":{"IBAN":"${value}"}}`,
      );
    expect((await iban("DE89370400440532013000")).status).toBe(200);
    expect((await iban("DE89370400440532013001")).body.errors).toEqual([
      expect.objectContaining({ path: "IBAN" }),
    ]);
    const wrongType = await wiseRequest(
      simulator,
      "POST",
      "/v1/accounts",
      `{"currency":"GBP","type":"swift_code","profile":${simulator.profileId},"accountHolderName":"Jo Bauer","details":{}}`,
    );
    expect(wrongType.body.errors).toEqual([expect.objectContaining({ path: "type" })]);
    const wrongCurrency = await wiseRequest(
      simulator,
      "POST",
      "/v1/accounts",
      `{"currency":"USD","type":"sort_code","profile":${simulator.profileId},"accountHolderName":"Jo Bauer","details":{"sortCode":"040075","accountNumber":"37778842"}}`,
    );
    expect(wrongCurrency.body.errors).toEqual([expect.objectContaining({ path: "currency" })]);
  });
});

describe("POST /v1/transfers", () => {
  it("creates a transfer waiting for funds, and answers a repeated customerTransactionId with it", async () => {
    const made = await makeTransfer(simulator, { fund: false });
    expect(made.transfer.body).toMatchObject({
      status: "incoming_payment_waiting",
      quoteUuid: made.quoteId,
      customerTransactionId: made.customerTransactionId,
      sourceCurrency: "IDR",
      targetCurrency: "GBP",
      details: { reference: "Invoice 42" },
    });
    expect(made.transfer.text).toContain('"sourceValue":1500000.00');
    const again = await wiseRequest(
      simulator,
      "POST",
      "/v1/transfers",
      JSON.stringify({
        targetAccount: 1,
        quoteUuid: made.quoteId,
        customerTransactionId: made.customerTransactionId,
      }),
    );
    expect(again).toMatchObject({ status: 200, body: { id: made.transferId } });
    expect(simulator.stats().charges).toBe(1);
  });

  it("refuses an expired quote, an unknown one, a used one, and a bad customerTransactionId", async () => {
    const made = await makeTransfer(simulator, { fund: false });
    const recipient = (
      await wiseRequest(simulator, "POST", "/v1/accounts", gbpRecipient(simulator.profileId))
    ).body.id;
    const create = (quoteUuid: string, customerTransactionId: string = randomUUID()) =>
      wiseRequest(
        simulator,
        "POST",
        "/v1/transfers",
        JSON.stringify({ targetAccount: recipient, quoteUuid, customerTransactionId }),
      );
    expect((await create(made.quoteId)).body).toMatchObject({
      errors: [{ code: "quote.already.used", path: "quoteUuid" }],
    });
    expect((await create(randomUUID())).body).toMatchObject({ errors: [{ code: "quote.not.found" }] });
    const fresh = await wiseRequest(
      simulator,
      "POST",
      `/v3/profiles/${simulator.profileId}/quotes`,
      '{"sourceCurrency":"IDR","targetCurrency":"GBP","sourceAmount":200000}',
    );
    simulator.expireQuote(String(fresh.body.id));
    expect(await create(String(fresh.body.id))).toMatchObject({
      status: 422,
      body: { errors: [{ code: "quote.expired" }] },
    });
    expect((await create(String(fresh.body.id), "not-a-uuid")).body).toMatchObject({
      errors: [{ path: "customerTransactionId" }],
    });
    expect(simulator.stats().charges).toBe(1);
  });

  it("times out after creating for the magic amount 50404.04, once per customerTransactionId", async () => {
    const made = await makeTransfer(simulator, { sourceAmount: "50404.04", fund: false });
    expect(made.transfer.status).toBe(504);
    expect(simulator.stats().charges).toBe(1);
    const retry = await wiseRequest(
      simulator,
      "POST",
      "/v1/transfers",
      JSON.stringify({
        targetAccount: 1,
        quoteUuid: made.quoteId,
        customerTransactionId: made.customerTransactionId,
      }),
    );
    expect(retry).toMatchObject({
      status: 200,
      body: { id: made.transferId, status: "incoming_payment_waiting" },
    });
    expect(simulator.stats().charges).toBe(1);
  });
});

describe("funding, cancelling, listing", () => {
  it("funds from the balance once: processing, quote FUNDED, a second funding refused", async () => {
    const made = await makeTransfer(simulator, { fund: false });
    expect((await fund(made.transferId)).body).toEqual({
      type: "BALANCE",
      status: "COMPLETED",
      errorCode: null,
    });
    expect(simulator.transfer({ transferId: made.transferId }).state).toBe("processing");
    const quote = await wiseRequest(
      simulator,
      "GET",
      `/v3/profiles/${simulator.profileId}/quotes/${made.quoteId}`,
    );
    expect(quote.body.status).toBe("FUNDED");
    expect(await fund(made.transferId)).toMatchObject({
      status: 409,
      body: { errors: [{ code: "transfer.already.funded" }] },
    });
    expect(simulator.stats()).toMatchObject({ charges: 1, fundings: 1 });
  });

  it("rejects funding for the magic amount 66666.66, leaving the transfer cancellable", async () => {
    const made = await makeTransfer(simulator, { sourceAmount: "66666.66", fund: false });
    expect((await fund(made.transferId)).body).toEqual({
      type: "BALANCE",
      status: "REJECTED",
      errorCode: "transfer.insufficient_funds",
    });
    const cancelled = await wiseRequest(simulator, "PUT", `/v1/transfers/${made.transferId}/cancel`);
    expect(cancelled.body).toMatchObject({ status: "cancelled" });
    expect((await wiseRequest(simulator, "PUT", `/v1/transfers/${made.transferId}/cancel`)).status).toBe(200);
    expect(simulator.stats().fundings).toBe(0);
  });

  it("refuses to cancel a funded transfer, and 404s an unknown one", async () => {
    const made = await makeTransfer(simulator);
    const refused = await wiseRequest(simulator, "PUT", `/v1/transfers/${made.transferId}/cancel`);
    expect(refused).toMatchObject({
      status: 409,
      body: { errors: [{ code: "transfer.cancel.not.allowed" }] },
    });
    expect((await wiseRequest(simulator, "GET", "/v1/transfers/1")).status).toBe(404);
  });

  it("lists the profile's transfers newest first, with paging", async () => {
    const first = await makeTransfer(simulator);
    const second = await makeTransfer(simulator);
    const list = await wiseRequest(
      simulator,
      "GET",
      `/v1/transfers?profile=${simulator.profileId}&offset=0&limit=1`,
    );
    expect(JSON.parse(list.text)).toEqual([expect.objectContaining({ id: second.transferId })]);
    const next = await wiseRequest(
      simulator,
      "GET",
      `/v1/transfers?profile=${simulator.profileId}&offset=1&limit=1`,
    );
    expect(JSON.parse(next.text)).toEqual([expect.objectContaining({ id: first.transferId })]);
  });
});

describe("POST /sim/advance", () => {
  const complete = async (accountNumber: string) => {
    const made = await makeTransfer(simulator, { accountNumber });
    const answer = await control(simulator, "POST", "/sim/advance", {
      transferId: made.transferId,
      to: "complete",
    });
    return {
      made,
      answer,
      history: simulator.transfer({ transferId: made.transferId }).changes.map((c) => c.state),
    };
  };

  it("takes each magic account number to its documented end", async () => {
    expect((await complete("37778842")).history).toEqual([
      "processing",
      "funds_converted",
      "outgoing_payment_sent",
    ]);
    expect((await complete("10009001")).history).toEqual(["processing", "funds_refunded"]);
    expect((await complete("10009002")).history).toEqual([
      "processing",
      "funds_converted",
      "outgoing_payment_sent",
      "bounced_back",
    ]);
    expect((await complete("10009003")).history).toEqual(["processing", "charged_back"]);
  });

  it("moves to a named state through the states between, and refuses impossible moves", async () => {
    const made = await makeTransfer(simulator);
    const sent = await control(simulator, "POST", "/sim/advance", {
      customerTransactionId: made.customerTransactionId,
      to: "outgoing_payment_sent",
    });
    expect(sent.body).toMatchObject({ transferId: made.transferId, state: "outgoing_payment_sent" });
    const back = await control(simulator, "POST", "/sim/advance", {
      transferId: made.transferId,
      to: "processing",
    });
    expect(back).toMatchObject({
      status: 409,
      body: { error: "cannot move from outgoing_payment_sent to processing" },
    });
    const bounced = await control(simulator, "POST", "/sim/advance", {
      transferId: made.transferId,
      to: "funds_refunded",
    });
    expect(bounced.body).toMatchObject({ state: "funds_refunded" });
    expect(simulator.transfer({ transferId: made.transferId }).changes.map((c) => c.state)).toEqual([
      "processing",
      "funds_converted",
      "outgoing_payment_sent",
      "bounced_back",
      "funds_refunded",
    ]);
    const unfunded = await makeTransfer(simulator, { fund: false });
    expect(
      (await control(simulator, "POST", "/sim/advance", { transferId: unfunded.transferId })).status,
    ).toBe(409);
    expect((await control(simulator, "POST", "/sim/advance", { transferId: 1 })).status).toBe(404);
  });

  it("keeps occurred_at strictly increasing per transfer, in whole seconds", async () => {
    const { made } = await complete("37778842");
    const times = simulator
      .transfer({ transferId: made.transferId })
      .changes.map((c) => c.occurredAt.getTime());
    for (let i = 1; i < times.length; i += 1) expect(times[i]).toBeGreaterThan(times[i - 1] ?? 0);
    for (const time of times) expect(time % 1000).toBe(0);
  });
});

describe("balances and statements", () => {
  it("debits funded transfers with their fee and credits refunds", async () => {
    const made = await makeTransfer(simulator, { accountNumber: "10009001" });
    await simulator.advance({ transferId: made.transferId }, "complete");
    const balances = await wiseRequest(
      simulator,
      "GET",
      `/v4/profiles/${simulator.profileId}/balances?types=STANDARD`,
    );
    const idr = (JSON.parse(balances.text) as Array<{ id: number; currency: string }>).find(
      (b) => b.currency === "IDR",
    );
    const now = new Date();
    const start = new Date(now.getTime() - 3_600_000).toISOString();
    const end = new Date(now.getTime() + 3_600_000).toISOString();
    const statement = await wiseRequest(
      simulator,
      "GET",
      `/v1/profiles/${simulator.profileId}/balance-statements/${idr?.id}/statement.json?currency=IDR&intervalStart=${start}&intervalEnd=${end}&type=COMPACT`,
    );
    expect(statement.body.transactions).toEqual([
      expect.objectContaining({
        type: "DEBIT",
        referenceNumber: `TRANSFER-${made.transferId}`,
        details: { type: "TRANSFER", description: "Sent money to Ann Smith" },
      }),
      expect.objectContaining({ type: "CREDIT", referenceNumber: `TRANSFER-${made.transferId}` }),
    ]);
    expect(statement.text).toContain(
      '"amount":{"value":-1500000.00,"currency":"IDR"},"totalFees":{"value":11750.00,"currency":"IDR"}',
    );
    expect(statement.text).toContain('"endOfStatementBalance":{"value":100000000000.00,"currency":"IDR"}');
  });
});
