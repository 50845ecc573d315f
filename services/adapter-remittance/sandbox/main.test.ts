import { describeSimulatorMain } from "@paymesh/sandbox-kit/testing";

describeSimulatorMain({
  main: new URL("./main.ts", import.meta.url),
  service: "remittance-sandbox",
  countedRequest: { path: "/v1/transfers", counter: "create-transfer" },
});
