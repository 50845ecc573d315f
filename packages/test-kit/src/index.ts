// The one kit every test in the repository waits, fakes time, runs processes, breaks links and
// starts its shared fixtures with.
// Test code only: production code never imports it. Plain node programs (the benchmark, the chaos
// drills) import `@paymesh/test-kit/process` and `@paymesh/test-kit/wait-for` instead, because this
// entry also carries useFixture, which loads vitest.
export {
  type ProcessOptions,
  type ProcessRun,
  type ProcessTarget,
  type RunOptions,
  runProcess,
  type StartedProcess,
  type StartOptions,
  startProcess,
} from "./process.ts";
export { retainedHeapBytes } from "./retained-heap.ts";
export { startTcpProxy, type TcpProxy, type TcpTarget } from "./tcp-proxy.ts";
export { createTestClock, type TestClock } from "./test-clock.ts";
export { unusedPort } from "./unused-port.ts";
export { type Fixture, useFixture } from "./use-fixture.ts";
export { waitFor } from "./wait-for.ts";
