// What the simulators' own tests share. Tests only: a simulator's code never imports it.
export { describeSimulatorMain, type SimulatorMainCase } from "./simulator-main-tests.ts";
