import { describeSimulatorMain } from "@paymesh/sandbox-kit/testing";
import { expect } from "vitest";

describeSimulatorMain({
  main: new URL("./main.ts", import.meta.url),
  service: "transfer-sandbox",
  countedRequest: { path: "/disbursements", counter: "create-disbursement" },
  // AUTO_COMPLETE_MS reaches the simulator's config.
  env: { AUTO_COMPLETE_MS: "50" },
  async checkRunning(url) {
    const config = await fetch(`${url}/sim/config`, { method: "POST", body: "{}" });
    expect(await config.json()).toMatchObject({ autoCompleteMs: 50, idempotencyMode: "reject" });
  },
});
