import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@paymesh/test-kit";
import { describe, expect, it, onTestFinished } from "vitest";
import { createRemittanceSimulator } from "./simulator.ts";
import { control, makeTransfer, startReceiver, wiseRequest } from "./test-support.ts";

const webhook = (body: Buffer) =>
  JSON.parse(body.toString("utf8")) as { subscription_id: string; data: { current_state: string } };

describe("a simulator restarted on its data folder", () => {
  it("still answers for its transfers and balances, numbers on after them, and completes them with webhooks", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "remittance-sim-"));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const receiver = await startReceiver();
    onTestFinished(() => receiver.close());

    const before = await createRemittanceSimulator({ dataDir, notifyUrl: receiver.url });
    const made = await makeTransfer(before);
    const delivered = () => (before.stats().webhooksDelivered === 1 ? true : undefined);
    await waitFor(delivered, 5000, "the processing webhook");
    const balancesPath = `/v4/profiles/${before.profileId}/balances?types=STANDARD`;
    const balances = (await wiseRequest(before, "GET", balancesPath)).text;
    await before.close();

    const after = await createRemittanceSimulator({ dataDir, notifyUrl: receiver.url });
    onTestFinished(() => after.close());
    const kept = await wiseRequest(after, "GET", `/v1/transfers/${made.transferId}`);
    expect(kept.body).toMatchObject({ id: made.transferId, status: "processing" });
    expect((await wiseRequest(after, "GET", balancesPath)).text).toBe(balances);
    const next = await makeTransfer(after, { fund: false });
    expect(next.transferId).toBe(made.transferId + 1);

    const advanced = await control(after, "POST", "/sim/advance", {
      transferId: made.transferId,
      to: "complete",
    });
    expect(advanced.body).toMatchObject({ state: "outgoing_payment_sent" });
    const received = receiver.received.map((request) => webhook(request.body));
    expect(received.map((body) => body.data.current_state)).toEqual([
      "processing",
      "funds_converted",
      "outgoing_payment_sent",
    ]);
    expect(new Set(received.map((body) => body.subscription_id)).size).toBe(1);
    expect(after.stats()).toMatchObject({ charges: 2, fundings: 1, webhooks: 3, webhooksDelivered: 3 });
  });
});
