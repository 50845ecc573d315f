import type { ConformanceFixture } from "../conformance/conformance-fixture.ts";
import { runConformanceSuite } from "../conformance/run-conformance-suite.ts";
import type { AdapterHarness, Closable } from "./served-adapter.ts";

/** A conformance fixture but for the adapter's address, which the harness knows. */
export type HarnessFixture = Omit<ConformanceFixture, "adapterAddress">;

/**
 * Runs the conformance suite against an adapter harness: `start` once before the suite, the
 * fixture read off the running harness, and the harness closed after it.
 */
export function runConformanceOnHarness<H extends AdapterHarness<Closable>>(
  name: string,
  start: () => Promise<H>,
  fixtureFor: (harness: H) => HarnessFixture | Promise<HarnessFixture>,
): void {
  let harness: H | undefined;
  runConformanceSuite(
    name,
    async () => {
      harness = await start();
      return { adapterAddress: harness.adapter.address, ...(await fixtureFor(harness)) };
    },
    async () => {
      await harness?.close();
    },
  );
}
