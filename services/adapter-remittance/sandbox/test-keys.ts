import { readFileSync } from "node:fs";

/** The simulator's throwaway webhook keypair as PEM text; see test-keys/README.md. */
export interface TestKeys {
  /** Signs `X-Signature-SHA256` on webhooks (the provider's side). */
  webhookPrivateKey: string;
  /** Verifies webhooks (the adapter's side). */
  webhookPublicKey: string;
}

function read(name: string): string {
  return readFileSync(new URL(`./test-keys/FAKE-TEST-ONLY-${name}.pem`, import.meta.url), "utf8");
}

/**
 * Loads the committed FAKE test keys, so the simulator, its tests and the adapter's sandbox config
 * agree on a keypair without anyone generating or configuring one. Read relative to this file, not
 * the working directory, so it works from any package script or test runner.
 */
export function loadTestKeys(): TestKeys {
  return {
    webhookPrivateKey: read("wise-webhook-private"),
    webhookPublicKey: read("wise-webhook-public"),
  };
}
