export { adapterEnv } from "./adapter-env.ts";
export type { QrisSimulatorOptions, SimulatorMerchant } from "./options.ts";
export { simulatorDefaults } from "./options.ts";
export type { SimActions } from "./sim-actions.ts";
export type { DeliveryAttempt, SimConfig } from "./sim-state.ts";
export type { QrisSimulator } from "./simulator.ts";
export { createQrisSimulator } from "./simulator.ts";
export type { TestKeyName, TestKeys } from "./test-keys.ts";
export { loadTestKeys, testKeyPath } from "./test-keys.ts";
