import { simulatorDefaults } from "./options.ts";

/**
 * The complete environment that points the VA adapter at the simulator listening on
 * `simulatorUrl`, with the simulator's fake server key: what a local stack or an end-to-end test
 * gives the adapter process. Notifications go wherever the simulator is configured to send them.
 */
export function adapterEnv(simulatorUrl: string): Record<string, string> {
  return { MIDTRANS_BASE_URL: simulatorUrl, MIDTRANS_SERVER_KEY: simulatorDefaults.serverKey };
}
