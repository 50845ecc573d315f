import { randomUUID } from "node:crypto";
import { afterEach } from "vitest";
import type { EventPublisher, QueueMessage, WorkQueue } from "../queue.ts";

/** Opens a fresh, empty work queue of the implementation under test with the given retry policy. */
export type OpenWorkQueue = (options: { retryDelaysMs: number[]; maxAttempts: number }) => Promise<WorkQueue>;

/** A publisher plus a consumer bound to everything it publishes, opened before the first publish. */
export interface PublisherUnderTest {
  publisher: EventPublisher;
  /** What the bound consumer has received so far. */
  received(): Promise<QueueMessage[]>;
  close(): Promise<void>;
}

/** Opens a fresh {@link PublisherUnderTest}. */
export type OpenEventPublisher = () => Promise<PublisherUnderTest>;

/** Per-test plumbing: everything opened is closed after the test, even when it failed. */
export interface QueueFixture {
  queue(options?: { retryDelaysMs?: number[]; maxAttempts?: number }): Promise<WorkQueue>;
  /** A message id no other run uses, with a readable prefix. */
  id(label: string): string;
}

/** Builds the {@link QueueFixture} for one contract run. */
export function queueFixture(open: OpenWorkQueue): QueueFixture {
  const opened: WorkQueue[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((queue) => queue.close()));
  });
  return {
    async queue(options = {}) {
      const queue = await open({
        retryDelaysMs: options.retryDelaysMs ?? [20, 60],
        maxAttempts: options.maxAttempts ?? 3,
      });
      opened.push(queue);
      return queue;
    },
    id: (label) => `${label}-${randomUUID()}`,
  };
}

/** Records every delivery a handler saw, and lets a test wait for one. */
export interface Recorder {
  seen: QueueMessage[];
  /** Times (ms, performance.now) of each delivery, in order. */
  at: number[];
  count(id: string): number;
}

/** A fresh {@link Recorder}. */
export function recorder(): Recorder {
  const seen: QueueMessage[] = [];
  const at: number[] = [];
  return { seen, at, count: (id) => seen.filter((m) => m.id === id).length };
}

/** Text as bytes, and back: test bodies are readable. */
export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (body: Uint8Array): string => new TextDecoder().decode(body);
