// The adapter conformance suite: `runConformanceSuite(name, setup)` in an adapter's own test file.
export type { ConformanceFixture, RecordedWebhook } from "./conformance-fixture.ts";
export { runConformanceSuite } from "./run-conformance-suite.ts";
