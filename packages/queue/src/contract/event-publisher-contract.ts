import { describe, expect, it } from "vitest";
import { bytes, type OpenEventPublisher, text } from "./contract-fixture.ts";
import { pollUntil } from "./poll-until.ts";

/**
 * The behaviour every EventPublisher must share: `open` returns the publisher and a consumer bound
 * to all its routing keys; both are closed after each test.
 */
export function runEventPublisherContract(name: string, open: OpenEventPublisher): void {
  describe(`EventPublisher contract: ${name}`, () => {
    it("resolves publish, and a bound consumer sees the message with its id and headers", async () => {
      const harness = await open();
      try {
        const headers = { "content-kind": "payment.succeeded", trace: "t-1" };
        await harness.publisher.publish("qris.succeeded", { id: "evt-1", body: bytes("one"), headers });
        await harness.publisher.publish("card.failed", { id: "evt-2", body: new Uint8Array([0, 255]) });
        const received = await pollUntil(harness.received, (messages) => messages.length >= 2);
        expect(received.map((m) => [m.id, m.routingKey])).toEqual([
          ["evt-1", "qris.succeeded"],
          ["evt-2", "card.failed"],
        ]);
        expect(received[0]?.headers).toEqual(headers);
        expect(text(received[0]?.body ?? new Uint8Array())).toBe("one");
        expect(received[1]?.headers).toEqual({});
        expect(received[1]?.body).toEqual(new Uint8Array([0, 255]));
      } finally {
        await harness.close();
      }
    });

    it("rejects publish after close", async () => {
      const harness = await open();
      await harness.close();
      await expect(harness.publisher.publish("x", { id: "late", body: bytes("x") })).rejects.toThrow();
    });
  });
}
