import { waitFor } from "@paymesh/test-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAILURE_CODES } from "./magic-values.ts";
import { simulatorDefaults } from "./options.ts";
import { FORGED_CALLBACK_TOKEN } from "./sim-actions.ts";
import { createTransferSimulator, type TransferSimulator } from "./simulator.ts";
import {
  api,
  type CallbackReceiver,
  control,
  createCallbackReceiver,
  disbursementBody,
} from "./test-support.ts";

describe("completion and callbacks", () => {
  let receiver: CallbackReceiver;
  let simulator: TransferSimulator;

  async function create(externalId: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const created = await api(simulator, "POST", "/disbursements", {
      body: disbursementBody({ external_id: externalId, ...overrides }),
    });
    return String(created.body.id);
  }
  const bodies = () => receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);

  beforeAll(async () => {
    receiver = await createCallbackReceiver();
    simulator = await createTransferSimulator({ callbackRetryDelaysMs: [10, 20] });
  });
  beforeEach(async () => {
    receiver.received.length = 0;
    receiver.replies.length = 0;
    simulator.reset();
    await simulator.configure({ notifyUrl: receiver.url });
  });
  afterAll(async () => {
    await simulator.close();
    await receiver.close();
  });

  it("completes a payout and POSTs the callback with x-callback-token", async () => {
    const id = await create("pay_c1");
    const completed = await control(simulator, "POST", "/sim/complete", { external_id: "pay_c1" });
    expect(completed.body).toEqual({
      id,
      external_id: "pay_c1",
      status: "COMPLETED",
      failure_code: null,
      notified: 200,
    });
    expect(receiver.received).toHaveLength(1);
    const [callback] = receiver.received;
    expect(callback?.path).toBe("/webhooks/transfer");
    expect(callback?.headers).toMatchObject({
      "content-type": "application/json",
      "x-callback-token": simulatorDefaults.callbackToken,
    });
    expect(JSON.parse(callback?.body ?? "")).toEqual({
      id,
      created: expect.any(String),
      updated: expect.any(String),
      external_id: "pay_c1",
      user_id: simulatorDefaults.userId,
      amount: 150_000,
      bank_code: "BCA",
      account_holder_name: "Budi Santoso",
      disbursement_description: "Payout",
      status: "COMPLETED",
      is_instant: false,
    });
    expect(callback?.body).not.toContain("1234567890");
    const again = await control(simulator, "POST", "/sim/complete", { id });
    expect(again).toMatchObject({ status: 409, body: { error: "disbursement is COMPLETED" } });
  });

  it("fails magic account numbers with their failure code when completed", async () => {
    for (const [index, code] of FAILURE_CODES.entries()) {
      const id = await create(`pay_f${index}`, { account_number: `9999999${101 + index}` });
      const completed = await simulator.complete({ id });
      expect(completed.disbursement).toMatchObject({ status: "FAILED", failureCode: code });
    }
    expect(bodies().map((b) => [b.status, b.failure_code])).toEqual(FAILURE_CODES.map((c) => ["FAILED", c]));
    const lookedUp = await api(simulator, "GET", "/disbursements?external_id=pay_f2");
    expect(lookedUp.list).toEqual([
      expect.objectContaining({ status: "FAILED", failure_code: "REJECTED_BY_BANK" }),
    ]);
  });

  it("lets a test choose the outcome, and refuses nonsense", async () => {
    await create("pay_choice");
    await create("pay_choice2");
    const failed = await control(simulator, "POST", "/sim/complete", {
      external_id: "pay_choice",
      failure_code: "INVALID_DESTINATION",
    });
    expect(failed.body).toMatchObject({ status: "FAILED", failure_code: "INVALID_DESTINATION" });
    const defaulted = await control(simulator, "POST", "/sim/complete", {
      external_id: "pay_choice2",
      status: "FAILED",
    });
    expect(defaulted.body.failure_code).toBe("TRANSFER_ERROR");
    const cases: Array<[unknown, number]> = [
      [{ external_id: "pay_x", status: "DONE" }, 400],
      [{ external_id: "pay_x", failure_code: "NOPE" }, 400],
      [{ external_id: "unknown" }, 404],
      [{}, 400],
    ];
    for (const [body, status] of cases) {
      expect((await control(simulator, "POST", "/sim/complete", body)).status, JSON.stringify(body)).toBe(
        status,
      );
    }
  });

  it("retries a non-2xx answer with backoff, resending the same bytes", async () => {
    await create("pay_retry");
    receiver.replies.push(500, 503);
    const completed = await simulator.complete({ externalId: "pay_retry" });
    expect(completed.delivery.status).toBe(500);
    await waitFor(() => (simulator.stats().callbacksDelivered === 1 ? true : undefined));
    expect(simulator.deliveries().map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
  });

  it("delivers every callback twice with duplicateCallbacks", async () => {
    await simulator.configure({ duplicateCallbacks: true });
    await create("pay_dup");
    await simulator.complete({ externalId: "pay_dup" });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]?.body).toBe(receiver.received[1]?.body);
    expect(simulator.stats()).toMatchObject({ callbacks: 2, callbacksDelivered: 2 });
  });

  it("delivers out of order with reorderCallbacks: the newer callback lands first", async () => {
    expect((await control(simulator, "POST", "/sim/config", { reorderCallbacks: true })).body).toMatchObject({
      reorderCallbacks: true,
    });
    await create("pay_a");
    await create("pay_b");
    const first = await control(simulator, "POST", "/sim/complete", { external_id: "pay_a" });
    expect(first.body).toMatchObject({ notified: null, held: true });
    expect(receiver.received).toHaveLength(0);
    await simulator.complete({ externalId: "pay_b" }, { status: "FAILED" });
    expect(bodies().map((b) => [b.external_id, b.status])).toEqual([
      ["pay_b", "FAILED"],
      ["pay_a", "COMPLETED"],
    ]);
    // A callback still held when reordering is switched off goes out then.
    await create("pay_c");
    await simulator.complete({ externalId: "pay_c" });
    expect(receiver.received).toHaveLength(2);
    await simulator.configure({ reorderCallbacks: false });
    expect(bodies().at(-1)).toMatchObject({ external_id: "pay_c" });
  });

  it("hands out the current state's callback without sending it; forged carries a wrong token", async () => {
    const id = await create("pay_hook");
    const genuine = await control(simulator, "POST", "/sim/webhook", { id });
    expect(genuine.body).toMatchObject({
      path: "/webhooks/transfer",
      headers: { "x-callback-token": simulatorDefaults.callbackToken },
    });
    expect(JSON.parse(String(genuine.body.body))).toMatchObject({ id, status: "PENDING" });
    const forged = await control(simulator, "POST", "/sim/webhook", {
      external_id: "pay_hook",
      forged: true,
    });
    expect(forged.body.headers).toMatchObject({ "x-callback-token": FORGED_CALLBACK_TOKEN });
    expect(receiver.received).toHaveLength(0);
  });

  it("re-sends the current state on /sim/notify (a duplicate delivery)", async () => {
    await create("pay_n");
    await simulator.complete({ externalId: "pay_n" });
    const again = await control(simulator, "POST", "/sim/notify", { external_id: "pay_n" });
    expect(again.body.notified).toBe(200);
    expect(receiver.received.map((r) => r.body)).toEqual([
      receiver.received[0]?.body,
      receiver.received[0]?.body,
    ]);
  });

  it("completes payouts by itself with autoCompleteMs", async () => {
    await simulator.configure({ autoCompleteMs: 10 });
    await create("pay_auto", { account_number: "9999999102" });
    await waitFor(() => (receiver.received.length === 1 ? true : undefined));
    expect(bodies()[0]).toMatchObject({ status: "FAILED", failure_code: "INVALID_DESTINATION" });
  });

  it("completes without a notifyUrl: notified null", async () => {
    await simulator.configure({ notifyUrl: undefined });
    await create("pay_quiet");
    expect((await simulator.complete({ externalId: "pay_quiet" })).delivery).toEqual({ status: null });
  });
});
