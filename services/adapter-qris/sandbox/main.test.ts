import { describeSimulatorMain } from "@paymesh/sandbox-kit/testing";

describeSimulatorMain({
  main: new URL("./main.ts", import.meta.url),
  service: "qris-sandbox",
  countedRequest: { path: "/v1.0/qr/qr-mpm-generate", counter: "qr-mpm-generate" },
});
