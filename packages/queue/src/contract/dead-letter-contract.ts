import { expect, it } from "vitest";
import { DLQ_REASON_HEADER } from "../retry-policy.ts";
import { bytes, type QueueFixture, recorder } from "./contract-fixture.ts";
import { pollUntil } from "./poll-until.ts";

/** Poison messages: dead-lettered with the reason after maxAttempts, then listed, replayed or dropped. */
export function runDeadLetterContract({ queue, id }: QueueFixture): void {
  it("dead-letters a poison message after maxAttempts with the reason attached", async () => {
    const q = await queue({ retryDelaysMs: [10], maxAttempts: 3 });
    const seen = recorder();
    await q.consume(async (message) => {
      seen.seen.push(message);
      throw new Error("amount is not an integer");
    });
    const poison = id("poison");
    await q.enqueue({ id: poison, body: bytes("{}"), headers: { provider: "card" } });
    const dead = await pollUntil(
      () => q.deadLetters.get(poison),
      (m) => m !== undefined,
    );
    expect(dead).toMatchObject({
      id: poison,
      attempts: 3,
      headers: { provider: "card", [DLQ_REASON_HEADER]: "amount is not an integer" },
    });
    expect(seen.seen.map((m) => m.attempts)).toEqual([1, 2, 3]);
    // Looking at a dead letter must not consume it.
    expect((await q.deadLetters.get(poison))?.id).toBe(poison);
  });

  it("lists, replays (handled once) and drops dead letters by id", async () => {
    const q = await queue({ retryDelaysMs: [10], maxAttempts: 2 });
    let fixed = false;
    const seen = recorder();
    await q.consume(async (message) => {
      seen.seen.push(message);
      if (!fixed) throw new Error("merchant unknown");
    });
    const [a, b] = [id("dead-a"), id("dead-b")];
    await q.enqueue({ id: a, body: bytes("a") });
    await q.enqueue({ id: b, body: bytes("b") });
    const listed = await pollUntil(
      () => q.deadLetters.list(10),
      (m) => m.length === 2,
    );
    expect(listed.map((m) => m.id).sort()).toEqual([a, b].sort());
    expect(await q.deadLetters.list(1)).toHaveLength(1);
    expect(await q.deadLetters.get(id("absent"))).toBeUndefined();

    fixed = true;
    const before = seen.count(a);
    expect(await q.deadLetters.replay(a)).toBe(true);
    await pollUntil(
      async () => seen.count(a),
      (n) => n === before + 1,
    );
    const replayed = seen.seen.at(-1);
    expect(replayed).toMatchObject({ id: a, attempts: 1 });
    expect(replayed?.headers[DLQ_REASON_HEADER]).toBeUndefined();
    expect(await q.deadLetters.replay(a)).toBe(false);

    expect(await q.deadLetters.drop(b)).toBe(true);
    expect(await q.deadLetters.drop(b)).toBe(false);
    expect(await q.deadLetters.replay(id("absent"))).toBe(false);
    expect(await q.deadLetters.list(10)).toEqual([]);
    const marker = id("marker");
    await q.enqueue({ id: marker, body: bytes("") });
    await pollUntil(
      async () => seen.count(marker),
      (n) => n === 1,
    );
    expect(seen.count(a)).toBe(before + 1);
    expect(seen.count(b)).toBe(2);
  });
}

/** The sizes behind the depth and DLQ gauges: what waits for a consumer, and what died. */
export function runQueueSizesContract({ queue, id }: QueueFixture): void {
  it("reports waiting messages and dead letters", async () => {
    const q = await queue({ retryDelaysMs: [10], maxAttempts: 1 });
    expect(await q.sizes()).toEqual({ waiting: 0, deadLetters: 0 });
    await q.enqueue({ id: id("size-a"), body: bytes("a") });
    await q.enqueue({ id: id("size-b"), body: bytes("b") });
    await pollUntil(
      () => q.sizes(),
      (sizes) => sizes.waiting === 2,
    );
    await q.consume(async () => {
      throw new Error("never handled");
    });
    const after = await pollUntil(
      () => q.sizes(),
      (sizes) => sizes.deadLetters === 2 && sizes.waiting === 0,
    );
    expect(after).toEqual({ waiting: 0, deadLetters: 2 });
  });
}
