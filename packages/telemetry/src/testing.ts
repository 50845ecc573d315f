// @paymesh/telemetry/testing: helpers for tests that read what a process exposes — its /metrics text
// and its log lines.
export { promtoolProblems, sampleValue, seriesOf } from "./metrics-testing.ts";
export { KNOWN_SECRETS, leakedSecrets } from "./redaction-fixtures.ts";
