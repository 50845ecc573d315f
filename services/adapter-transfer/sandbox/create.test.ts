import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simulatorDefaults } from "./options.ts";
import { createTransferSimulator, type TransferSimulator } from "./simulator.ts";
import { api, disbursementBody } from "./test-support.ts";

describe("POST /disbursements and lookups", () => {
  let simulator: TransferSimulator;
  let ids = 0;
  beforeAll(async () => {
    simulator = await createTransferSimulator({
      newId: () => `disb-${++ids}`,
      clock: () => new Date("2024-03-05T03:00:00Z"),
    });
  });
  beforeEach(() => simulator.reset());
  afterAll(() => simulator.close());

  it("creates a PENDING disbursement, never echoing the account number", async () => {
    const created = await api(simulator, "POST", "/disbursements", {
      body: disbursementBody({ external_id: "pay_1" }),
      idempotencyKey: "pay_1",
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^disb-/),
      user_id: simulatorDefaults.userId,
      external_id: "pay_1",
      amount: 150_000,
      bank_code: "BCA",
      account_holder_name: "Budi Santoso",
      disbursement_description: "Payout",
      status: "PENDING",
      created: "2024-03-05T03:00:00.000Z",
      updated: "2024-03-05T03:00:00.000Z",
    });
    expect(simulator.stats().charges).toBe(1);
    const byId = await api(simulator, "GET", `/disbursements/${String(created.body.id)}`);
    expect(byId.body).toEqual(created.body);
    const byExternalId = await api(simulator, "GET", "/disbursements?external_id=pay_1");
    expect(byExternalId.list).toEqual([created.body]);
  });

  it("authenticates with Basic: secret key as username, empty password", async () => {
    const body = disbursementBody();
    const missing = await api(simulator, "POST", "/disbursements", { body, key: null });
    expect(missing).toMatchObject({ status: 401, body: { error_code: "INVALID_API_KEY" } });
    const wrong = await api(simulator, "POST", "/disbursements", { body, key: "FAKE-not-a-key" });
    expect(wrong).toMatchObject({ status: 401, body: { error_code: "INVALID_API_KEY" } });
    const withPassword = await api(simulator, "GET", "/disbursements/x", {
      headers: {
        authorization: `Basic ${Buffer.from(`${simulatorDefaults.secretKey}:secret`).toString("base64")}`,
      },
    });
    expect(withPassword.status).toBe(401);
    expect(simulator.stats().charges).toBe(0);
  });

  it("lets the read-only key read but not disburse (REQUEST_FORBIDDEN_ERROR)", async () => {
    const key = simulatorDefaults.readOnlySecretKey;
    const refused = await api(simulator, "POST", "/disbursements", { body: disbursementBody(), key });
    expect(refused).toMatchObject({ status: 403, body: { error_code: "REQUEST_FORBIDDEN_ERROR" } });
    await api(simulator, "POST", "/disbursements", { body: disbursementBody({ external_id: "pay_ro" }) });
    const read = await api(simulator, "GET", "/disbursements?external_id=pay_ro", { key });
    expect(read.list).toHaveLength(1);
  });

  it("rejects a spent X-IDEMPOTENCY-KEY with DUPLICATE_TRANSACTION_ERROR, creating nothing", async () => {
    const body = disbursementBody({ external_id: "pay_dup" });
    await api(simulator, "POST", "/disbursements", { body, idempotencyKey: "key-1" });
    const again = await api(simulator, "POST", "/disbursements", { body, idempotencyKey: "key-1" });
    expect(again).toEqual({
      status: 400,
      list: [],
      body: {
        error_code: "DUPLICATE_TRANSACTION_ERROR",
        message: "Idempotency key has been used before. Use a unique idempotency key and try again",
      },
    });
    // external_id is not unique on Xendit: another key makes a second payout with the same one.
    await api(simulator, "POST", "/disbursements", { body, idempotencyKey: "key-2" });
    expect((await api(simulator, "GET", "/disbursements?external_id=pay_dup")).list).toHaveLength(2);
    expect(simulator.stats().charges).toBe(2);
  });

  it("in replay mode answers the original for the same body, and rejects a different body", async () => {
    await simulator.configure({ idempotencyMode: "replay" });
    const body = disbursementBody({ external_id: "pay_replay" });
    const first = await api(simulator, "POST", "/disbursements", { body, idempotencyKey: "key-r" });
    await simulator.complete({ id: String(first.body.id) });
    const replay = await api(simulator, "POST", "/disbursements", { body, idempotencyKey: "key-r" });
    expect(replay).toEqual(first);
    const changed = await api(simulator, "POST", "/disbursements", {
      body: { ...body, amount: 160_000 },
      idempotencyKey: "key-r",
    });
    expect(changed.body.error_code).toBe("DUPLICATE_TRANSACTION_ERROR");
    expect(simulator.stats().charges).toBe(1);
  });

  it("validates fields; a refused request does not spend its key", async () => {
    const cases: Array<[Record<string, unknown>, number, string, string?]> = [
      [{ external_id: undefined }, 400, "API_VALIDATION_ERROR", '"external_id" is required'],
      [{ amount: "150000" }, 400, "API_VALIDATION_ERROR", '"amount" must be a number'],
      [{ amount: 150_000.5 }, 400, "API_VALIDATION_ERROR", '"amount" must be an integer'],
      [{ description: "" }, 400, "API_VALIDATION_ERROR", '"description" is required'],
      [{ bank_code: "014" }, 400, "BANK_CODE_NOT_SUPPORTED_ERROR"],
      [{ account_number: "12-34-56" }, 400, "RECIPIENT_ACCOUNT_NUMBER_ERROR"],
      [{ amount: 9_999 }, 400, "RECIPIENT_AMOUNT_ERROR"],
      [{ amount: 100_000_001 }, 400, "MAXIMUM_TRANSFER_LIMIT_ERROR"],
    ];
    for (const [override, status, code, message] of cases) {
      const refused = await api(simulator, "POST", "/disbursements", {
        body: disbursementBody(override),
        idempotencyKey: "key-v",
      });
      expect(refused.status, code).toBe(status);
      expect(refused.body.error_code, JSON.stringify(override)).toBe(code);
      if (message !== undefined) expect(refused.body.message).toContain(message);
    }
    const bad = await fetch(`${simulator.url}/disbursements`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${simulatorDefaults.secretKey}:`).toString("base64")}`,
      },
      body: "{not json",
    });
    expect(await bad.json()).toMatchObject({ error_code: "INVALID_JSON_FORMAT" });
    expect(simulator.stats().charges).toBe(0);
    const valid = await api(simulator, "POST", "/disbursements", {
      body: disbursementBody(),
      idempotencyKey: "key-v",
    });
    expect(valid.status).toBe(200);
  });

  it("answers each magic amount's error code deterministically", async () => {
    const magic: Array<[number, number, string, number]> = [
      [10_400, 400, "API_VALIDATION_ERROR", 0],
      [10_401, 400, "BANK_CODE_NOT_SUPPORTED_ERROR", 0],
      [10_402, 400, "RECIPIENT_ACCOUNT_NUMBER_ERROR", 0],
      [10_403, 400, "RECIPIENT_AMOUNT_ERROR", 0],
      [10_404, 400, "MAXIMUM_TRANSFER_LIMIT_ERROR", 0],
      [10_405, 403, "REQUEST_FORBIDDEN_ERROR", 0],
      [10_406, 400, "INVALID_JSON_FORMAT", 0],
      [10_409, 400, "DUPLICATE_TRANSACTION_ERROR", 0],
      [10_500, 500, "SERVER_ERROR", 0],
      [10_501, 500, "SERVER_ERROR", 1],
    ];
    for (const [amount, status, code, charges] of magic) {
      simulator.reset();
      const externalId = `pay_magic_${amount}`;
      const body = disbursementBody({ external_id: externalId, amount });
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const answer = await api(simulator, "POST", "/disbursements", { body });
        expect({ amount, status: answer.status, code: answer.body.error_code }).toEqual({
          amount,
          status,
          code,
        });
      }
      expect(simulator.stats().charges, String(amount)).toBe(charges * 2);
    }
    // 10_501 spends the key with the payout it made: a retry with the key is a duplicate.
    simulator.reset();
    const body = disbursementBody({ external_id: "pay_501", amount: 10_501 });
    await api(simulator, "POST", "/disbursements", { body, idempotencyKey: "k501" });
    const retry = await api(simulator, "POST", "/disbursements", { body, idempotencyKey: "k501" });
    expect(retry.body.error_code).toBe("DUPLICATE_TRANSACTION_ERROR");
    expect((await api(simulator, "GET", "/disbursements?external_id=pay_501")).list).toHaveLength(1);
  });

  it("answers lookups of unknown disbursements and unknown routes in Xendit's error shape", async () => {
    expect(await api(simulator, "GET", "/disbursements/nope")).toMatchObject({
      status: 404,
      body: { error_code: "DISBURSEMENT_NOT_FOUND_ERROR" },
    });
    expect(await api(simulator, "GET", "/disbursements?external_id=nope")).toMatchObject({ status: 404 });
    expect(await api(simulator, "GET", "/disbursements")).toMatchObject({
      status: 400,
      body: { error_code: "API_VALIDATION_ERROR" },
    });
    expect(await api(simulator, "GET", "/nothing-here")).toMatchObject({
      status: 404,
      body: { error_code: "NOT_FOUND" },
    });
  });
});
