import { randomUUID } from "node:crypto";
import { transportRejection } from "@paymesh/adapter-kit/testing";
import { createTestClock, unusedPort, useFixture, waitFor } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { createRemittanceSimulator } from "../sandbox/index.ts";
import { createWiseClient, type WiseClient, type WiseClientOptions } from "../src/wise-client.ts";

const clock = createTestClock();
const simulator = useFixture(() => createRemittanceSimulator({ clock: clock.now }));

function client(overrides: Partial<WiseClientOptions> = {}): WiseClient {
  return createWiseClient({
    baseUrl: simulator().url,
    apiToken: simulator().apiToken,
    profileId: simulator().profileId,
    clock: clock.now,
    // Upstream retries with tiny backoffs, so the 5xx paths run in milliseconds.
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  });
}

async function recipientAndQuote(wise: WiseClient, sourceAmount = "1500000.00") {
  const quote = await wise.createQuote({ sourceCurrency: "IDR", targetCurrency: "GBP", sourceAmount });
  const recipient = await wise.createRecipient({
    currency: "GBP",
    type: "sort_code",
    accountHolderName: "Ann Smith",
    details: { sortCode: "040075", accountNumber: "37778842" },
  });
  if (!quote.ok || !recipient.ok) throw new Error("setup failed");
  return { quoteId: quote.body.id, recipientId: recipient.body.id };
}

/** A quote and recipient made now, and the createTransfer for them, sent when a test says so. */
async function transferToSend(wise: WiseClient) {
  const { quoteId, recipientId } = await recipientAndQuote(wise);
  const send = () =>
    wise.createTransfer({
      targetAccount: recipientId,
      quoteUuid: quoteId,
      customerTransactionId: randomUUID(),
      reference: "",
    });
  return { quoteId, send };
}

describe("createWiseClient against the simulator", () => {
  it("creates a quote, sending amounts as exact JSON numbers and reading the rate as text", async () => {
    const answer = await client().createQuote({
      sourceCurrency: "USD",
      targetCurrency: "JPY",
      targetAmount: "10000",
    });
    if (!answer.ok) throw new Error(`quote failed: ${answer.status}`);
    expect(answer.body).toMatchObject({
      rate: "149.62",
      rateType: "FIXED",
      rateExpirationTime: "2024-03-05T03:30:00Z",
    });
    expect(answer.body.paymentOptions[0]).toMatchObject({
      payIn: "BALANCE",
      sourceAmount: "67.65",
      targetAmount: "10000",
    });
    expect(answer.exchange).toMatchObject({
      operation: "createQuote",
      httpMethod: "POST",
      url: `${simulator().url}/v3/profiles/${simulator().profileId}/quotes`,
      requestBody:
        '{"sourceCurrency":"USD","targetCurrency":"JPY","targetAmount":10000,"payOut":"BANK_TRANSFER","preferredPayIn":"BALANCE"}',
      responseStatus: 200,
      startedAt: clock.now(),
    });
    expect(answer.exchange.durationMicros).toBeGreaterThan(0);
  });

  it("returns Wise's refusal of a bad token as an answer, with the OAuth error as a code", async () => {
    const answer = await client({ apiToken: "FAKE-wrong" }).getTransfer("1");
    expect(answer).toMatchObject({
      ok: false,
      status: 401,
      errors: [{ code: "invalid_token", message: "Invalid token" }],
    });
  });

  it("returns the same transfer for the same customerTransactionId: one charge", async () => {
    const wise = client();
    const { quoteId, recipientId } = await recipientAndQuote(wise);
    const input = {
      targetAccount: recipientId,
      quoteUuid: quoteId,
      customerTransactionId: randomUUID(),
      reference: "r",
    };
    const first = await wise.createTransfer(input);
    const second = await wise.createTransfer(input);
    if (!first.ok || !second.ok) throw new Error("transfer failed");
    expect(second.body.id).toBe(first.body.id);
    expect(first.body).toMatchObject({
      status: "incoming_payment_waiting",
      sourceValue: "1500000.00",
      customerTransactionId: input.customerTransactionId,
    });
    expect(simulator().stats().charges).toBe(1);
  });

  it("masks names and account numbers in the recorded exchange, both ways", async () => {
    const answer = await client().createRecipient({
      currency: "GBP",
      type: "sort_code",
      accountHolderName: "Ann Smith",
      details: { sortCode: "040075", accountNumber: "37778842" },
    });
    const recorded = `${answer.exchange.requestBody}${answer.exchange.responseBody}`;
    expect(recorded).not.toContain("Ann Smith");
    expect(recorded).not.toContain("37778842");
    expect(answer.exchange.requestBody).toContain('"accountHolderName":"A***"');
    expect(answer.exchange.responseBody).toContain('"accountNumber":"****8842"');
    const refused = await client().createRecipient({
      currency: "GBP",
      type: "sort_code",
      accountHolderName: "Ann Smith",
      details: { sortCode: "040075", accountNumber: "123456" },
    });
    expect(refused).toMatchObject({
      ok: false,
      status: 422,
      errors: [{ code: "NOT_VALID", path: "accountNumber" }],
    });
    expect(refused.exchange.responseBody).not.toContain("123456");
  });

  it("returns injected 5xx answers as answers, not transport errors", async () => {
    simulator().configure({
      failNext: { count: 1, status: 503, code: "SERVICE_UNAVAILABLE", endpoint: undefined },
    });
    // Retrying is off here: what comes back after the last attempt is the subject.
    const answer = await client({ retry: { maxAttempts: 1 } }).getTransfer("1");
    expect(answer).toMatchObject({ ok: false, status: 503, errors: [{ code: "SERVICE_UNAVAILABLE" }] });
  });
});

describe("transport failures", () => {
  it("connection refused: sent false", async () => {
    const port = await unusedPort();
    const error = await transportRejection(client({ baseUrl: `http://127.0.0.1:${port}` }).getTransfer("1"));
    expect(error.sent).toBe(false);
    expect(error.exchange.transportError).toContain("ECONNREFUSED");
  });

  it("connection reset after the request was read: sent true, nothing created", async () => {
    const { quoteId, send } = await transferToSend(client());
    simulator().configure({ resetConnections: 1 });
    const error = await transportRejection(send());
    expect(error.sent).toBe(true);
    expect(error.exchange).toMatchObject({
      operation: "createTransfer",
      requestBody: expect.stringContaining(quoteId),
    });
    expect(simulator().stats().charges).toBe(0);
  });

  it("timeout: sent true, and Wise may still have created the transfer", async () => {
    const { send } = await transferToSend(client({ timeoutMs: 100 }));
    simulator().configure({ latencyMs: 300 });
    const error = await transportRejection(send());
    expect(error).toMatchObject({ sent: true, exchange: { transportError: "timed out" } });
    await waitFor(() => (simulator().stats().charges === 1 ? true : undefined));
  });

  it("aborted before sending: sent false", async () => {
    const error = await transportRejection(client().getTransfer("1", AbortSignal.abort()));
    expect(error.sent).toBe(false);
  });

  it("a 2xx that is not the expected JSON: sent true; a non-JSON 502: an answer without errors", async () => {
    const gateway =
      (status: number, body: string): typeof fetch =>
      async () =>
        new Response(body, { status });
    const html = await transportRejection(
      client({ fetch: gateway(200, "<html>ok</html>") }).getTransfer("1"),
    );
    expect(html).toMatchObject({
      sent: true,
      exchange: { responseStatus: 200, transportError: "malformed answer: not JSON (HTTP 200)" },
    });
    const shapeless = await transportRejection(client({ fetch: gateway(200, '{"id":1}') }).getTransfer("1"));
    expect(shapeless.message).toBe("malformed answer: answer lacks status (HTTP 200)");
    const badGateway = await client({ fetch: gateway(502, "<html>502 Bad Gateway</html>") }).getTransfer("1");
    expect(badGateway).toMatchObject({ ok: false, status: 502, errors: [] });
  });
});
