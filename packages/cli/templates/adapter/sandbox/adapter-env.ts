import { simulatorDefaults } from "./simulator.ts";

/**
 * The complete environment that points the adapter at this simulator, with the simulator's fake
 * credentials: what the local stack and the tests give the adapter process.
 */
export function adapterEnv(simulatorUrl: string): Record<string, string> {
  return {
    __NAME___BASE_URL: simulatorUrl,
    __NAME___API_KEY: simulatorDefaults.apiKey,
    __NAME___WEBHOOK_SECRET: simulatorDefaults.webhookSecret,
  };
}
