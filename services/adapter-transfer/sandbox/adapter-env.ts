import { simulatorDefaults } from "./options.ts";

/**
 * The complete environment that points the transfer adapter at this simulator: its URL and the
 * fake key and callback token it accepts by default. Local stacks and tests spread it into the
 * adapter's environment; everything else keeps the adapter's own defaults.
 */
export function adapterEnv(simulatorUrl: string): Record<string, string> {
  return {
    XENDIT_BASE_URL: simulatorUrl,
    XENDIT_SECRET_KEY: simulatorDefaults.secretKey,
    XENDIT_CALLBACK_TOKEN: simulatorDefaults.callbackToken,
  };
}
