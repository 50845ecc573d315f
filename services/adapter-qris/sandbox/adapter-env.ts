import { simulatorDefaults } from "./options.ts";
import { testKeyPath } from "./test-keys.ts";

/**
 * The complete environment that points the QRIS adapter process at a simulator listening on
 * `simulatorUrl`, with the simulator's fake test credentials: the same variables a real bank's
 * configuration sets, so the adapter has no sandbox switch and never loads simulator code. The
 * keys are the committed FAKE test key files (test-keys/README.md), given as absolute paths.
 */
export function adapterEnv(simulatorUrl: string): Record<string, string> {
  return {
    SNAP_BASE_URL: simulatorUrl,
    SNAP_CLIENT_ID: simulatorDefaults.clientId,
    SNAP_CLIENT_SECRET: simulatorDefaults.clientSecret,
    SNAP_PARTNER_ID: simulatorDefaults.partnerId,
    SNAP_CHANNEL_ID: simulatorDefaults.channelId,
    SNAP_MERCHANT_ID: simulatorDefaults.merchant.merchantId,
    SNAP_PRIVATE_KEY_FILE: testKeyPath("partner-private"),
    SNAP_BANK_PUBLIC_KEY_FILE: testKeyPath("bank-public"),
  };
}
