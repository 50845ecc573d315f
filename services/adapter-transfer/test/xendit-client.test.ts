import { transportRejection } from "@paymesh/adapter-kit/testing";
import { createTestClock, unusedPort, useFixture, waitFor } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { createTransferSimulator, simulatorDefaults } from "../sandbox/index.ts";
import { createXenditClient, type XenditClientOptions } from "../src/xendit-client.ts";

const clock = createTestClock(new Date("2024-03-05T03:00:00Z"));
const simulator = useFixture(() => createTransferSimulator({ clock: clock.now }));

function clientOptions(overrides: Partial<XenditClientOptions> = {}): XenditClientOptions {
  return { baseUrl: simulator().url, secretKey: simulatorDefaults.secretKey, clock: clock.now, ...overrides };
}

const payout = (externalId: string, amount = 150_000n) => ({
  idempotencyKey: externalId,
  externalId,
  amount,
  bankCode: "BCA",
  accountHolderName: "Budi Santoso",
  accountNumber: "1234567890",
  description: "Payout",
});

describe("createXenditClient against the simulator", () => {
  it("creates a disbursement, recording the exchange with account number and name masked", async () => {
    const client = createXenditClient(clientOptions());
    const answer = await client.createDisbursement(payout("pay_1"));
    if (!answer.ok) throw new Error(`create failed: ${answer.errorCode}`);
    expect(answer.body).toMatchObject({
      externalId: "pay_1",
      amount: 150_000n,
      status: "PENDING",
      bankCode: "BCA",
    });
    expect(answer.exchange).toMatchObject({
      operation: "createDisbursement",
      httpMethod: "POST",
      url: `${simulator().url}/disbursements`,
      requestBody:
        '{"external_id":"pay_1","amount":150000,"bank_code":"BCA","account_holder_name":"B***","account_number":"****7890","description":"Payout"}',
      responseStatus: 200,
      startedAt: clock.now(),
    });
    expect(answer.exchange.responseBody).toContain('"account_holder_name":"B***"');
    expect(JSON.stringify(answer.exchange)).not.toMatch(/1234567890|Budi Santoso/);
    expect(simulator().stats().charges).toBe(1);
  });

  it("sends the X-IDEMPOTENCY-KEY: the same key again is Xendit's duplicate answer, one charge", async () => {
    const client = createXenditClient(clientOptions());
    await client.createDisbursement(payout("pay_dup"));
    const again = await client.createDisbursement(payout("pay_dup"));
    expect(again).toMatchObject({ ok: false, httpStatus: 400, errorCode: "DUPLICATE_TRANSACTION_ERROR" });
    expect(simulator().stats().charges).toBe(1);
  });

  it("gets by id and finds by external_id; unknown ones are Xendit's 404", async () => {
    const client = createXenditClient(clientOptions());
    const created = await client.createDisbursement(payout("pay_get"));
    const id = created.ok ? created.body.id : "";
    expect(await client.getDisbursement({ id })).toMatchObject({
      ok: true,
      body: { id, externalId: "pay_get" },
    });
    expect(await client.findDisbursements({ externalId: "pay_get" })).toMatchObject({
      ok: true,
      body: [{ id }],
    });
    expect(await client.findDisbursements({ externalId: "nope" })).toMatchObject({
      ok: false,
      httpStatus: 404,
      errorCode: "DISBURSEMENT_NOT_FOUND_ERROR",
    });
  });

  it("returns an authentication failure as Xendit's answer", async () => {
    const client = createXenditClient(clientOptions({ secretKey: "FAKE-wrong-key" }));
    expect(await client.createDisbursement(payout("pay_auth"))).toMatchObject({
      ok: false,
      httpStatus: 401,
      errorCode: "INVALID_API_KEY",
    });
    expect(simulator().stats().charges).toBe(0);
  });

  it("reads the transactions report", async () => {
    const client = createXenditClient(clientOptions());
    const created = await client.createDisbursement(payout("pay_tx", 200_000n));
    await simulator().complete({ id: created.ok ? created.body.id : "" });
    const report = await client.listTransactions({
      from: new Date("2024-03-05T00:00:00Z"),
      to: new Date("2024-03-05T23:59:59Z"),
      statuses: ["SUCCESS"],
    });
    expect(report).toMatchObject({
      ok: true,
      body: {
        hasMore: false,
        data: [{ reference_id: "pay_tx", amount: 200_000, fee: { xendit_fee: 4_000 }, status: "SUCCESS" }],
      },
    });
  });
});

describe("transport failures", () => {
  it("connection refused: sent false", async () => {
    const port = await unusedPort();
    const client = createXenditClient(clientOptions({ baseUrl: `http://127.0.0.1:${port}` }));
    const error = await transportRejection(client.createDisbursement(payout("x")));
    expect(error.sent).toBe(false);
    expect(error.exchange.transportError).toContain("ECONNREFUSED");
    expect(error.exchange.requestBody).toContain("****7890");
  });

  it("connection reset after the request was read: sent true", async () => {
    const client = createXenditClient(clientOptions());
    await simulator().configure({ resetConnections: 1 });
    const error = await transportRejection(client.createDisbursement(payout("pay_reset")));
    expect(error.sent).toBe(true);
    expect(error.exchange).toMatchObject({
      operation: "createDisbursement",
      requestBody: expect.stringContaining("pay_reset"),
    });
  });

  it("timeout: sent true, and Xendit may still have paid", async () => {
    const client = createXenditClient(clientOptions({ timeoutMs: 100 }));
    await simulator().configure({ latencyMs: 300 });
    const error = await transportRejection(client.createDisbursement(payout("pay_slow")));
    expect(error).toMatchObject({ sent: true, exchange: { transportError: "timed out" } });
    await waitFor(() => (simulator().stats().charges === 1 ? true : undefined));
  });

  it("aborted before sending: sent false", async () => {
    const client = createXenditClient(clientOptions());
    const error = await transportRejection(client.getDisbursement({ id: "x", signal: AbortSignal.abort() }));
    expect(error.sent).toBe(false);
  });

  it("an answer that is not Xendit JSON: sent true", async () => {
    const gateway: typeof fetch = async () => new Response("<html>502 Bad Gateway</html>", { status: 502 });
    const client = createXenditClient(clientOptions({ fetch: gateway }));
    const error = await transportRejection(client.createDisbursement(payout("pay_html")));
    expect(error.sent).toBe(true);
    expect(error.exchange).toMatchObject({
      responseStatus: 502,
      transportError: "malformed answer: not JSON (HTTP 502)",
    });
    const shapeless: typeof fetch = async () => new Response('{"id":42}', { status: 200 });
    const odd = createXenditClient(clientOptions({ fetch: shapeless }));
    expect((await transportRejection(odd.getDisbursement({ id: "x" }))).message).toBe(
      "malformed answer: field id is not a string (HTTP 200)",
    );
  });
});
