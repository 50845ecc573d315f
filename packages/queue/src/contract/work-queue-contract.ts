import { describe, expect, it } from "vitest";
import { bytes, type OpenWorkQueue, queueFixture, recorder, text } from "./contract-fixture.ts";
import { runDeadLetterContract, runQueueSizesContract } from "./dead-letter-contract.ts";
import { pollUntil } from "./poll-until.ts";

/**
 * The behaviour every WorkQueue must share (issue 6), so the in-process queue and RabbitMQ cannot
 * drift apart. `open` is called once per test with tiny retry delays; queues are closed after it.
 */
export function runWorkQueueContract(name: string, open: OpenWorkQueue): void {
  describe(`WorkQueue contract: ${name}`, () => {
    const fixture = queueFixture(open);
    const { queue, id } = fixture;

    it("delivers an enqueued message once, with its id, body and headers, and acks it", async () => {
      const q = await queue();
      const seen = recorder();
      await q.consume(async (message) => {
        seen.seen.push(message);
      });
      const first = id("once");
      await q.enqueue({ id: first, body: bytes("hello"), headers: { provider: "qris" } });
      // A later message proves the first was not redelivered after it was handled.
      const marker = id("marker");
      await q.enqueue({ id: marker, body: bytes("") });
      await pollUntil(
        async () => seen.count(marker),
        (n) => n === 1,
      );
      expect(seen.count(first)).toBe(1);
      const message = seen.seen[0];
      expect(message).toMatchObject({ id: first, headers: { provider: "qris" }, attempts: 1 });
      expect(text(message?.body ?? new Uint8Array())).toBe("hello");
      expect(await q.deadLetters.list(10)).toEqual([]);
    });

    it("retries a throwing handler after the configured delays and counts attempts", async () => {
      const delays = [30, 120];
      const q = await queue({ retryDelaysMs: delays, maxAttempts: 4 });
      const seen = recorder();
      await q.consume(async (message) => {
        seen.seen.push(message);
        seen.at.push(performance.now());
        if (message.attempts < 3) throw new Error(`transient ${message.attempts}`);
      });
      const flaky = id("flaky");
      await q.enqueue({ id: flaky, body: bytes("x"), headers: { kept: "yes" } });
      await pollUntil(
        async () => seen.count(flaky),
        (n) => n === 3,
      );
      expect(seen.seen.map((m) => m.attempts)).toEqual([1, 2, 3]);
      expect(seen.seen.every((m) => m.headers.kept === "yes")).toBe(true);
      const [t1 = 0, t2 = 0, t3 = 0] = seen.at;
      // Timers may fire a hair early relative to performance.now; allow 5 ms of slack.
      expect(t2 - t1).toBeGreaterThanOrEqual((delays[0] ?? 0) - 5);
      expect(t3 - t2).toBeGreaterThanOrEqual((delays[1] ?? 0) - 5);
      const marker = id("marker");
      await q.enqueue({ id: marker, body: bytes("") });
      await pollUntil(
        async () => seen.count(marker),
        (n) => n === 1,
      );
      expect(seen.count(flaky)).toBe(3);
      expect(await q.deadLetters.get(flaky)).toBeUndefined();
    });

    it("redelivers to a new consumer the message a stopped consumer never finished", async () => {
      const q = await queue();
      const stuck = recorder();
      const first = await q.consume((message) => {
        stuck.seen.push(message);
        return new Promise<void>(() => {}); // hangs like a consumer killed mid-message
      });
      const work = id("stuck");
      await q.enqueue({ id: work, body: bytes("w") });
      await pollUntil(
        async () => stuck.count(work),
        (n) => n === 1,
      );
      await first.stop();
      const seen = recorder();
      await q.consume(async (message) => {
        seen.seen.push(message);
      });
      await pollUntil(
        async () => seen.count(work),
        (n) => n === 1,
      );
      expect(seen.seen[0]).toMatchObject({ id: work, attempts: 1 });
      const marker = id("marker");
      await q.enqueue({ id: marker, body: bytes("") });
      await pollUntil(
        async () => seen.count(marker),
        (n) => n === 1,
      );
      expect(seen.count(work)).toBe(1);
      expect(stuck.count(work)).toBe(1);
    });

    runDeadLetterContract(fixture);
    runQueueSizesContract(fixture);
  });
}
