import { describe, expect, it } from "vitest";
import { runEventPublisherContract, runWorkQueueContract } from "./contract/index.ts";
import { createMemoryEventPublisher } from "./memory-event-publisher.ts";
import { createMemoryWorkQueue, type QueueTimers } from "./memory-work-queue.ts";
import type { QueueMessage } from "./queue.ts";

runWorkQueueContract("memory", async (options) => createMemoryWorkQueue(options));

runEventPublisherContract("memory", async () => {
  const publisher = createMemoryEventPublisher();
  const received = async (): Promise<QueueMessage[]> =>
    publisher.published().map((event) => ({ ...event, attempts: 1 }));
  return { publisher, received, close: () => publisher.close() };
});

/** Timers a test fires by hand, recording the delays asked for. */
function manualTimers(): QueueTimers & { delays: number[]; fire(): void } {
  const due: (() => void)[] = [];
  const delays: number[] = [];
  return {
    delays,
    setTimeout(callback, ms) {
      delays.push(ms);
      due.push(callback);
      return due.length;
    },
    clearTimeout() {},
    fire() {
      for (const callback of due.splice(0)) callback();
    },
  };
}

describe("createMemoryWorkQueue", () => {
  it("says its messages die with the process, so producers know not to rely on it alone", async () => {
    const q = createMemoryWorkQueue();
    expect(q.durable).toBe(false);
    await q.close();
  });

  it("waits out the configured delays on the injected timers, the last one repeating", async () => {
    const timers = manualTimers();
    const q = createMemoryWorkQueue({ retryDelaysMs: [1_000, 5_000], maxAttempts: 4, timers });
    const attempts: number[] = [];
    await q.consume(async (message) => {
      attempts.push(message.attempts);
      throw new Error("down");
    });
    await q.enqueue({ id: "m", body: new Uint8Array([1]) });
    for (let i = 0; i < 3; i++) {
      await Promise.resolve();
      await Promise.resolve();
      timers.fire();
    }
    await Promise.resolve();
    await Promise.resolve();
    expect(timers.delays).toEqual([1_000, 5_000, 5_000]);
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect((await q.deadLetters.get("m"))?.attempts).toBe(4);
    await q.close();
  });

  it("rejects retry settings a broker would refuse, as a caller bug", () => {
    expect(() => createMemoryWorkQueue({ retryDelaysMs: [] })).toThrow(RangeError);
    expect(() => createMemoryWorkQueue({ retryDelaysMs: [-1] })).toThrow(RangeError);
    expect(() => createMemoryWorkQueue({ maxAttempts: 0 })).toThrow(RangeError);
  });

  it("records published events for tests", async () => {
    const publisher = createMemoryEventPublisher();
    await publisher.publish("card.succeeded", { id: "e1", body: new Uint8Array([7]) });
    expect(publisher.published()).toEqual([
      { routingKey: "card.succeeded", id: "e1", body: new Uint8Array([7]), headers: {} },
    ]);
    await publisher.close();
  });
});
