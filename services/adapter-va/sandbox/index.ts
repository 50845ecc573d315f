// The Midtrans VA simulator, for the adapter's tests, the local stack and the e2e tests.
export { adapterEnv } from "./adapter-env.ts";
export type { FirstDelivery } from "./notifier.ts";
export type { VaSimulatorOptions } from "./options.ts";
export { simulatorDefaults } from "./options.ts";
export { settlementTerms } from "./settlement-terms.ts";
export { signatureKey } from "./signature.ts";
export type { RecordedNotification, SimActions } from "./sim-actions.ts";
export type { DeliveryAttempt, SimConfig } from "./sim-state.ts";
export type { VaSimulator } from "./simulator.ts";
export { createVaSimulator } from "./simulator.ts";
export type { SimBank, SimStatus, SimTransaction } from "./transaction-store.ts";
