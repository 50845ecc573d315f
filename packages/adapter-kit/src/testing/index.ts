// What an adapter's own tests share: serve a provider against its simulator, call it as the router
// does, and read the errors it answers with. Tests only: production code never imports it.
export { type HarnessFixture, runConformanceOnHarness } from "./conformance-harness.ts";
export {
  type DiscrepancyTargets,
  everyDiscrepancy,
  makeDiscrepancyTargets,
} from "./discrepancy-injection.ts";
export { errorSummary, rejection, thrown, transportRejection } from "./rejections.ts";
export { deadline, newPaymentId } from "./requests.ts";
export {
  type AdapterClient,
  type AdapterHarness,
  type Closable,
  type ServedForTest,
  serveForTest,
  startAdapterHarness,
} from "./served-adapter.ts";
export {
  type LargeReportReading,
  linesOf,
  readLargeReport,
  type SettlementDay,
  type StreamedReport,
  setUpSettlementReport,
  streamReport,
  useSettlementDay,
} from "./settlement-reports.ts";
export { captureUnknownReports, type UnknownValueLine, useUnknownReports } from "./unknown-reports.ts";
