import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { connect as connectTcp, createServer, type Socket } from "node:net";
import { startTcpProxy, type TcpProxy } from "@paymesh/test-kit";
import { connect } from "amqplib";
import { afterEach, describe, expect, it } from "vitest";
import { bytes, recorder } from "./contract/contract-fixture.ts";
import { pollUntil } from "./contract/poll-until.ts";
import type { QueueMessage } from "./queue.ts";
import { createRabbitEventPublisher } from "./rabbit-event-publisher.ts";
import { toQueueMessage } from "./rabbit-message.ts";
import { createRabbitWorkQueue } from "./rabbit-work-queue.ts";
import {
  amqpTarget,
  amqpUrlForTests,
  deleteExchange,
  deleteWorkQueue,
  proxiedAmqpUrl,
  uniqueTestName,
} from "./testing/amqp-test-env.ts";

const url = amqpUrlForTests();

/** Everything a test opened, undone after it in reverse order, even when it failed. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A connected socket's first reply, or how it ended: "closed" when the proxy refused or cut it. */
function exchangeOnce(port: number, payload: string): Promise<string> {
  return new Promise((resolve) => {
    const socket: Socket = connectTcp(port, "127.0.0.1", () => socket.write(payload));
    socket.on("data", (data) => {
      resolve(data.toString());
      socket.destroy();
    });
    socket.on("error", () => resolve("closed"));
    socket.on("close", () => resolve("closed"));
  });
}

describe("startTcpProxy", () => {
  it("forwards, resets open connections and refuses new ones while cut, and forwards again once restored", async () => {
    const echo = createServer((socket) => {
      socket.on("error", () => {}); // the proxy resets it on cut
      socket.pipe(socket);
    });
    echo.listen(0, "127.0.0.1");
    await once(echo, "listening");
    cleanups.push(() => new Promise((resolve) => echo.close(() => resolve())));
    const address = echo.address();
    if (address === null || typeof address === "string") throw new Error("echo server has no port");
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: address.port });
    cleanups.push(() => proxy.close());

    expect(await exchangeOnce(proxy.port, "ping")).toBe("ping");
    const held = connectTcp(proxy.port, "127.0.0.1");
    held.on("error", () => {});
    await once(held, "connect");
    await pollUntil(
      async () => proxy.accepted,
      (n) => n === 2,
    );
    // Not events.once: it would reject on the ECONNRESET "error" that precedes "close".
    const heldClosed = new Promise((resolve) => held.on("close", resolve));
    proxy.cut();
    await heldClosed;
    expect(await exchangeOnce(proxy.port, "lost")).toBe("closed");
    expect(proxy.refused).toBe(1);
    proxy.restore();
    expect(await exchangeOnce(proxy.port, "pong")).toBe("pong");
  });
});

if (url !== undefined) {
  const amqpUrl = url;

  /** A proxy in front of the test broker, and the AMQP URL through it. */
  const proxiedBroker = async (): Promise<{ proxy: TcpProxy; url: string }> => {
    const proxy = await startTcpProxy(amqpTarget(amqpUrl));
    cleanups.push(() => proxy.close());
    return { proxy, url: proxiedAmqpUrl(amqpUrl, proxy.port) };
  };

  /** A work queue through the proxy; its queues are deleted (directly on the broker) afterwards. */
  const proxiedWorkQueue = async (
    brokerUrl: string,
    options: Omit<Parameters<typeof createRabbitWorkQueue>[0], "url" | "name" | "retryDelaysMs">,
  ) => {
    const name = uniqueTestName("reconnect-work");
    const retryDelaysMs = [20];
    cleanups.push(() => deleteWorkQueue(amqpUrl, name, retryDelaysMs));
    const queue = await createRabbitWorkQueue({ url: brokerUrl, name, retryDelaysMs, ...options });
    cleanups.push(() => queue.close());
    return queue;
  };

  describe("createRabbitEventPublisher across a dropped connection", () => {
    it("gets all 200 events confirmed and delivered when the link is cut mid-stream, retrying rejected publishes", async () => {
      const { proxy, url: proxied } = await proxiedBroker();
      const exchange = uniqueTestName("reconnect-events");
      cleanups.push(() => deleteExchange(amqpUrl, exchange));
      const publisher = await createRabbitEventPublisher({ url: proxied, exchange, durable: false });
      cleanups.push(() => publisher.close());

      // The bound consumer talks to the broker directly: the cut only takes the publisher away.
      const direct = await connect(amqpUrl);
      cleanups.push(() => direct.close());
      const channel = await direct.createChannel();
      const { queue } = await channel.assertQueue("", { exclusive: true, autoDelete: true });
      await channel.bindQueue(queue, exchange, "#");
      const received = new Set<string>();
      await channel.consume(queue, (m) => m && received.add(toQueueMessage(m, m.fields.routingKey, 1).id), {
        noAck: true,
      });

      const total = 200;
      const cutAt = 100;
      const ids = Array.from({ length: total }, (_, i) => `evt-${i}-${randomUUID()}`);
      const firstAttemptRejected = new Set<number>();
      let rejections = 0;
      let restored: Promise<number> | undefined;
      // What an outbox relay does: publish, and on rejection publish the same event again.
      const publishUntilConfirmed = async (index: number): Promise<void> => {
        const id = ids[index] ?? "";
        for (let attempt = 1; ; attempt++) {
          const confirmed = publisher.publish("payment.succeeded", { id, body: bytes(id) });
          if (index === cutAt && attempt === 1) {
            // Cut while this publish (and the others in the window) await their confirms.
            proxy.cut();
            restored = pollUntil(
              async () => proxy.refused,
              (n) => n >= 3,
            ).then((refused) => {
              proxy.restore();
              return refused;
            });
          }
          try {
            await confirmed;
            return;
          } catch (error) {
            rejections++;
            if (attempt === 1) firstAttemptRejected.add(index);
            if (attempt >= 50) throw error;
          }
        }
      };
      // Ten publishes in flight at a time, like a relay draining an outbox batch.
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < total) await publishUntilConfirmed(next++);
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: 10 }, worker));
      const refusedAtRestore = await restored;
      const elapsed = performance.now() - started;

      expect(firstAttemptRejected.has(cutAt)).toBe(true);
      expect(rejections).toBeGreaterThan(0);
      // Ten looping publishers shared one connection attempt per backoff step (0, then 50-100 ms,
      // then 100-200 ms...): three refused attempts before the restore, one more only if this process
      // stalled; without the backoff they would have made hundreds.
      expect(refusedAtRestore).toBeGreaterThanOrEqual(3);
      expect(refusedAtRestore).toBeLessThanOrEqual(5);
      expect(elapsed).toBeLessThan(5_000);
      const all = await pollUntil(
        async () => received.size,
        (n) => n >= total,
      );
      expect(all).toBe(total);
      expect(ids.every((id) => received.has(id))).toBe(true);
    });

    it("rejects publish after close even while the connection is down", async () => {
      const { proxy, url: proxied } = await proxiedBroker();
      const exchange = uniqueTestName("reconnect-events");
      cleanups.push(() => deleteExchange(amqpUrl, exchange));
      const publisher = await createRabbitEventPublisher({ url: proxied, exchange, durable: false });
      cleanups.push(() => publisher.close());
      proxy.cut();
      await expect(publisher.publish("x", { id: "a", body: bytes("a") })).rejects.toThrow();
      const waiting = publisher.publish("x", { id: "b", body: bytes("b") });
      await publisher.close();
      await expect(waiting).rejects.toThrow();
      await expect(publisher.publish("x", { id: "c", body: bytes("c") })).rejects.toThrow(/closed/);
    });
  });

  describe("createRabbitWorkQueue across a dropped connection", () => {
    it("reconnects by itself, redelivers the message unacked at the cut, and keeps consuming and dead-lettering", async () => {
      const { proxy, url: proxied } = await proxiedBroker();
      const errors: Error[] = [];
      const q = await proxiedWorkQueue(proxied, {
        maxAttempts: 2,
        onConnectionError: (error) => errors.push(error),
      });
      const seen = recorder();
      const handled = new Set<string>();
      let release = (): void => {};
      const hung = new Promise<void>((resolve) => {
        release = resolve;
      });
      cleanups.push(async () => release());
      const held = `held-${randomUUID()}`;
      await q.consume(async (message: QueueMessage) => {
        seen.seen.push(message);
        // The first delivery hangs like a handler mid-call when the link dies: it is never acked.
        if (message.id === held && seen.count(held) === 1) return hung;
        if (message.id.startsWith("poison-")) throw new Error("poison");
        handled.add(message.id);
      });
      const before = `before-${randomUUID()}`;
      await q.enqueue({ id: before, body: bytes("before") });
      await q.enqueue({ id: held, body: bytes("held") });
      await pollUntil(
        async () => handled.has(before) && seen.count(held) === 1,
        (ok) => ok,
      );

      const started = performance.now();
      proxy.cut();
      // Nobody calls the queue meanwhile: these attempts are its own background reconnects.
      await pollUntil(
        async () => proxy.refused,
        (n) => n >= 2,
      );
      proxy.restore();
      const after = `after-${randomUUID()}`;
      await q.enqueue({ id: after, body: bytes("after") }); // waits for the reconnect (connectionWaitMs)
      await pollUntil(
        async () => handled.has(held) && handled.has(after),
        (ok) => ok,
      );
      const recovered = performance.now() - started;

      expect(seen.seen.filter((m) => m.id === held).map((m) => m.attempts)).toEqual([1, 1]);
      expect(errors.length).toBeGreaterThanOrEqual(3); // the loss, then two refused attempts
      expect(recovered).toBeLessThan(5_000);

      // The DLQ (scans on the new connection) and the retry queues work again.
      const poison = `poison-${randomUUID()}`;
      await q.enqueue({ id: poison, body: bytes("poison") });
      const dead = await pollUntil(
        () => q.deadLetters.get(poison),
        (m) => m !== undefined,
      );
      expect(dead).toMatchObject({ id: poison, attempts: 2 });
      expect((await q.deadLetters.list(10)).map((m) => m.id)).toEqual([poison]);
      expect(await q.deadLetters.drop(poison)).toBe(true);
      expect(seen.count(before)).toBe(1);
    });

    it("makes enqueue wait up to connectionWaitMs during an outage: rejects if the broker stays away, resolves if it returns", async () => {
      const { proxy, url: proxied } = await proxiedBroker();
      const q = await proxiedWorkQueue(proxied, {
        maxAttempts: 2,
        connectionWaitMs: 300,
        reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
      });
      const handled = new Set<string>();
      await q.consume(async (message) => {
        handled.add(message.id);
      });

      // An enqueue awaiting its confirm when the link dies rejects; whether it arrived is unknown.
      const unconfirmed = q.enqueue({ id: `unconfirmed-${randomUUID()}`, body: bytes("u") });
      proxy.cut();
      await expect(unconfirmed).rejects.toThrow();
      await pollUntil(
        async () => proxy.refused,
        (n) => n >= 1,
      );

      const lost = `lost-${randomUUID()}`;
      const started = performance.now();
      await expect(q.enqueue({ id: lost, body: bytes("lost") })).rejects.toThrow(/not back within 300 ms/);
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);

      const late = `late-${randomUUID()}`;
      const pending = q.enqueue({ id: late, body: bytes("late") });
      proxy.restore();
      await pending;
      const marker = `marker-${randomUUID()}`;
      await q.enqueue({ id: marker, body: bytes("") });
      await pollUntil(
        async () => handled.has(late) && handled.has(marker),
        (ok) => ok,
      );
      expect(handled.has(lost)).toBe(false);
    });

    it("stops reconnecting on close: waiting operations reject and no connection attempt follows", async () => {
      const { proxy, url: proxied } = await proxiedBroker();
      const q = await proxiedWorkQueue(proxied, {
        connectionWaitMs: 10_000,
        reconnect: { initialDelayMs: 5, maxDelayMs: 10 },
      });
      await q.consume(async () => {});
      proxy.cut();
      await pollUntil(
        async () => proxy.refused,
        (n) => n >= 2,
      );
      const waiting = q.enqueue({ id: "never", body: bytes("") });
      const listing = q.deadLetters.list(1);
      await q.close();
      await expect(waiting).rejects.toThrow(/closed/);
      await expect(listing).rejects.toThrow(/closed/);
      const attempts = proxy.accepted + proxy.refused;
      proxy.restore();
      // A reconnect loop still running would try every 5-10 ms; these probes take longer than that,
      // and must be the only connections the proxy sees from here on.
      for (let i = 0; i < 5; i++) {
        const probe = await connect(proxied);
        await probe.close();
      }
      expect(proxy.accepted + proxy.refused).toBe(attempts + 5);
      await expect(q.enqueue({ id: "after-close", body: bytes("") })).rejects.toThrow(/closed/);
    });
  });
}
