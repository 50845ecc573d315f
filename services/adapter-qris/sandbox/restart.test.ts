import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCallbackReceiver } from "@paymesh/sandbox-kit";
import { describe, expect, it, onTestFinished } from "vitest";
import { createQrisSimulator } from "./simulator.ts";
import { accessToken, control, generateBody, snapPost } from "./test-support.ts";

const query = (partnerReferenceNo: string) => ({
  originalPartnerReferenceNo: partnerReferenceNo,
  serviceCode: "47",
});

describe("a simulator restarted on its data folder", () => {
  it("still answers for its payments, pays them with a notification, and keeps its counters", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "qris-sim-"));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const receiver = await startCallbackReceiver({ decode: (bytes) => JSON.parse(bytes.toString("utf8")) });
    onTestFinished(() => receiver.close());

    const before = await createQrisSimulator({ dataDir });
    const token = await accessToken(before);
    const generated = await snapPost(
      before,
      "/v1.0/qr/qr-mpm-generate",
      token,
      generateBody("r-1", "25000.00"),
    );
    expect(generated.status).toBe(200);
    await before.close();

    const after = await createQrisSimulator({ dataDir, notifyUrl: receiver.url });
    onTestFinished(() => after.close());
    // Tokens are not kept: the client fetches a new one, as after a revocation.
    expect((await snapPost(after, "/v1.0/qr/qr-mpm-query", token, query("r-1"))).status).toBe(401);
    const newToken = await accessToken(after);
    const pending = await snapPost(after, "/v1.0/qr/qr-mpm-query", newToken, query("r-1"));
    expect(pending.body).toMatchObject({
      originalReferenceNo: generated.body.referenceNo,
      latestTransactionStatus: "03",
      additionalInfo: { qrContent: generated.body.qrContent },
    });
    const again = await snapPost(
      after,
      "/v1.0/qr/qr-mpm-generate",
      newToken,
      generateBody("r-1", "25000.00"),
    );
    expect(again.body.responseCode).toBe("4094701");

    expect((await control(after, "POST", "/sim/pay", { partnerReferenceNo: "r-1" })).body).toMatchObject({
      status: "paid",
      notified: 200,
    });
    expect(receiver.received.map((callback) => callback.body)).toEqual([
      expect.objectContaining({
        originalReferenceNo: generated.body.referenceNo,
        originalPartnerReferenceNo: "r-1",
        latestTransactionStatus: "00",
      }),
    ]);
    const paid = await snapPost(after, "/v1.0/qr/qr-mpm-query", newToken, query("r-1"));
    expect(paid.body).toMatchObject({ latestTransactionStatus: "00" });
    expect((await control(after, "GET", "/sim/stats")).body).toMatchObject({ charges: 1, notifications: 1 });
  });
});
