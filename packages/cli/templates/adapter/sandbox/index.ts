// The provider's simulator, for the adapter's tests, the local stack and the e2e tests.
export { adapterEnv } from "./adapter-env.ts";
export {
  createSimulator,
  type Simulator,
  type SimulatorOptions,
  type SimulatorStats,
  simulatorDefaults,
} from "./simulator.ts";
