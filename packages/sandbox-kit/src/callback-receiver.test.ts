import { describe, expect, it } from "vitest";
import { startCallbackReceiver } from "./callback-receiver.ts";

describe("startCallbackReceiver", () => {
  it("records each request decoded, answering the queued statuses and then 200", async () => {
    const receiver = await startCallbackReceiver({ path: "/webhooks/x", decode: (bytes) => bytes.length });
    try {
      expect(receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/x$/);
      receiver.replies.push(503);
      const post = () => fetch(receiver.url, { method: "POST", headers: { "x-a": "1" }, body: "four" });
      expect((await post()).status).toBe(503);
      expect((await post()).status).toBe(200);
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[0]).toMatchObject({ path: "/webhooks/x", body: 4, headers: { "x-a": "1" } });
    } finally {
      await receiver.close();
    }
  });
});
