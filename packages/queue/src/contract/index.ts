// The contract suites every queue implementation runs (package export "./contract").
// They import vitest, so they live apart from the runtime exports in ../index.ts.
export type {
  OpenEventPublisher,
  OpenWorkQueue,
  PublisherUnderTest,
  QueueFixture,
} from "./contract-fixture.ts";
export { runEventPublisherContract } from "./event-publisher-contract.ts";
export { pollUntil } from "./poll-until.ts";
export { runWorkQueueContract } from "./work-queue-contract.ts";
