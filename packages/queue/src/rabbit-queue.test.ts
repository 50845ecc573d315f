import { connect } from "amqplib";
import { afterAll, describe, expect, it } from "vitest";
import { pollUntil, runEventPublisherContract, runWorkQueueContract } from "./contract/index.ts";
import type { QueueMessage } from "./queue.ts";
import { createRabbitEventPublisher } from "./rabbit-event-publisher.ts";
import { toQueueMessage } from "./rabbit-message.ts";
import { rabbitTopology } from "./rabbit-topology.ts";
import { createRabbitWorkQueue } from "./rabbit-work-queue.ts";
import { resolveRetryPolicy } from "./retry-policy.ts";
import { amqpUrlForTests, deleteExchange, deleteWorkQueue, uniqueTestName } from "./testing/amqp-test-env.ts";

const url = amqpUrlForTests();

describe("rabbitTopology", () => {
  it("names one retry queue per delay by its value, so changed delays never conflict", () => {
    const policy = resolveRetryPolicy({ retryDelaysMs: [1_000, 5_000, 30_000] });
    expect(rabbitTopology("webhooks", policy)).toEqual({
      work: "webhooks",
      retry: ["webhooks.retry.1000ms", "webhooks.retry.5000ms", "webhooks.retry.30000ms"],
      dlq: "webhooks.dlq",
    });
  });
});

if (url !== undefined) {
  const amqpUrl = url;
  const declared: { name: string; retryDelaysMs: number[] }[] = [];
  const exchanges: string[] = [];
  afterAll(async () => {
    for (const { name, retryDelaysMs } of declared) await deleteWorkQueue(amqpUrl, name, retryDelaysMs);
    for (const exchange of exchanges) await deleteExchange(amqpUrl, exchange);
  });

  runWorkQueueContract("rabbitmq", async (options) => {
    const name = uniqueTestName("work");
    declared.push({ name, retryDelaysMs: options.retryDelaysMs });
    return createRabbitWorkQueue({ url: amqpUrl, name, ...options });
  });

  // The same contract on quorum queues: retries through TTL queues, dead letters, redelivery.
  runWorkQueueContract("rabbitmq quorum queues", async (options) => {
    const name = uniqueTestName("quorum");
    declared.push({ name, retryDelaysMs: options.retryDelaysMs });
    return createRabbitWorkQueue({ url: amqpUrl, name, queueType: "quorum", ...options });
  });

  describe("queueType", () => {
    it("declares every queue of the topology as a quorum queue", async () => {
      const name = uniqueTestName("quorum-type");
      const retryDelaysMs = [50, 200];
      declared.push({ name, retryDelaysMs });
      const queue = await createRabbitWorkQueue({ url: amqpUrl, name, retryDelaysMs, queueType: "quorum" });
      await queue.close();
      const topology = rabbitTopology(name, resolveRetryPolicy({ retryDelaysMs }));
      const connection = await connect(amqpUrl);
      try {
        const asDeclared = [
          { queue: topology.work, options: {} },
          { queue: topology.dlq, options: {} },
          ...topology.retry.map((queue, index) => ({
            queue,
            options: {
              messageTtl: retryDelaysMs[index],
              deadLetterExchange: "",
              deadLetterRoutingKey: topology.work,
            },
          })),
        ];
        for (const { queue: queueName, options } of asDeclared) {
          // The broker refuses to redeclare a queue as another type: proof of the type it has.
          const channel = await connection.createChannel();
          channel.on("error", () => undefined);
          await expect(
            channel.assertQueue(queueName, {
              durable: true,
              ...options,
              arguments: { "x-queue-type": "classic" },
            }),
          ).rejects.toThrow(/PRECONDITION_FAILED.*x-queue-type/);
        }
      } finally {
        await connection.close();
      }
    });
  });

  runEventPublisherContract("rabbitmq", async () => {
    const exchange = uniqueTestName("events");
    exchanges.push(exchange);
    const publisher = await createRabbitEventPublisher({ url: amqpUrl, exchange, durable: false });
    // The bound consumer: an exclusive server-named queue, deleted by the broker when it closes.
    const connection = await connect(amqpUrl);
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue("", { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, exchange, "#");
    const seen: QueueMessage[] = [];
    await channel.consume(queue, (m) => m && seen.push(toQueueMessage(m, m.fields.routingKey, 1)), {
      noAck: true,
    });
    return {
      publisher,
      received: async () => [...seen],
      async close() {
        await publisher.close();
        await connection.close();
      },
    };
  });

  describe("createRabbitWorkQueue", () => {
    it("keeps dead letters in the broker across queue instances", async () => {
      const name = uniqueTestName("durable");
      const retryDelaysMs = [10];
      declared.push({ name, retryDelaysMs });
      const first = await createRabbitWorkQueue({ url: amqpUrl, name, retryDelaysMs, maxAttempts: 1 });
      await first.consume(async () => {
        throw new Error("poison");
      });
      await first.enqueue({ id: "p", body: new Uint8Array([1]) });
      await pollUntil(
        () => first.deadLetters.get("p"),
        (m) => m !== undefined,
      );
      await first.close();
      const second = await createRabbitWorkQueue({ url: amqpUrl, name, retryDelaysMs, maxAttempts: 1 });
      expect((await second.deadLetters.list(10)).map((m) => m.id)).toEqual(["p"]);
      await second.close();
    });
  });
}
