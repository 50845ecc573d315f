import { simulatorDefaults } from "./options.ts";
import { testKeyFile } from "./test-keys.ts";

/**
 * The complete environment that points the remittance adapter at this simulator: its URL and the
 * simulator's fake test credentials (token, profile, and the public half of the FAKE webhook key).
 * What a launcher or an end-to-end test spreads over the adapter process's environment; the
 * adapter itself knows nothing of the simulator.
 */
export function adapterEnv(simulatorUrl: string): Record<string, string> {
  return {
    WISE_BASE_URL: simulatorUrl,
    WISE_API_TOKEN: simulatorDefaults.apiToken,
    WISE_PROFILE_ID: simulatorDefaults.profileId,
    WISE_WEBHOOK_PUBLIC_KEY_FILE: testKeyFile("wise-webhook-public"),
  };
}
