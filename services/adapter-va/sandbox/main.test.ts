import { describeSimulatorMain } from "@paymesh/sandbox-kit/testing";

describeSimulatorMain({
  main: new URL("./main.ts", import.meta.url),
  service: "va-sandbox",
  countedRequest: { path: "/v2/charge", counter: "charge" },
});
