// Test helpers for suites that use a real RabbitMQ: "@paymesh/queue/testing".
export * from "./amqp-test-env.ts";
