import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@paymesh/test-kit";
import { describe, expect, it, onTestFinished } from "vitest";
import { createTransferSimulator } from "./simulator.ts";
import { api, control, createCallbackReceiver, disbursementBody } from "./test-support.ts";

function dataFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "transfer-sim-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("a simulator restarted on its data folder", () => {
  it("still answers for its disbursements and spent keys, and completes them with a callback", async () => {
    const dataDir = dataFolder();
    const receiver = await createCallbackReceiver();
    onTestFinished(() => receiver.close());
    const before = await createTransferSimulator({ dataDir });
    const created = await api(before, "POST", "/disbursements", {
      body: disbursementBody({ external_id: "pay_r" }),
      idempotencyKey: "key-r",
    });
    expect(created.body.status).toBe("PENDING");
    await before.close();

    const after = await createTransferSimulator({ dataDir, notifyUrl: receiver.url });
    onTestFinished(() => after.close());
    expect((await api(after, "GET", `/disbursements/${created.body.id}`)).body).toEqual(created.body);
    const reused = await api(after, "POST", "/disbursements", {
      body: disbursementBody({ external_id: "pay_r" }),
      idempotencyKey: "key-r",
    });
    expect(reused.body.error_code).toBe("DUPLICATE_TRANSACTION_ERROR");

    const completed = await control(after, "POST", "/sim/complete", { external_id: "pay_r" });
    expect(completed.body).toMatchObject({ status: "COMPLETED", notified: 200 });
    expect(receiver.received.map((callback) => JSON.parse(callback.body))).toEqual([
      expect.objectContaining({ id: created.body.id, external_id: "pay_r", status: "COMPLETED" }),
    ]);
    expect((await api(after, "GET", `/disbursements/${created.body.id}`)).body.status).toBe("COMPLETED");
    expect(after.stats()).toMatchObject({ charges: 1, callbacks: 1, callbacksDelivered: 1 });
  });

  it("completes a pending disbursement by itself once autoCompleteMs after its creation has passed", async () => {
    const dataDir = dataFolder();
    const receiver = await createCallbackReceiver();
    onTestFinished(() => receiver.close());
    // Closed before its 60 s were up, so only the restarted simulator can complete it.
    const before = await createTransferSimulator({ dataDir, autoCompleteMs: 60_000 });
    const created = await api(before, "POST", "/disbursements", { body: disbursementBody() });
    await before.close();

    const after = await createTransferSimulator({ dataDir, notifyUrl: receiver.url, autoCompleteMs: 50 });
    onTestFinished(() => after.close());
    const callbacks = await waitFor(
      () => (receiver.received.length > 0 ? receiver.received : undefined),
      5000,
      "the completion callback",
    );
    expect(JSON.parse(callbacks[0]?.body ?? "{}")).toMatchObject({
      id: created.body.id,
      status: "COMPLETED",
    });
  });
});
