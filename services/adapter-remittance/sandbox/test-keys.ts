import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The simulator's throwaway webhook keypair as PEM text; see test-keys/README.md. */
export interface TestKeys {
  /** Signs `X-Signature-SHA256` on webhooks (the provider's side). */
  webhookPrivateKey: string;
  /** Verifies webhooks (the adapter's side). */
  webhookPublicKey: string;
}

/** The path of a committed test key, resolved relative to this file, not the working directory. */
export function testKeyFile(name: "wise-webhook-private" | "wise-webhook-public"): string {
  return fileURLToPath(new URL(`./test-keys/FAKE-TEST-ONLY-${name}.pem`, import.meta.url));
}

function read(name: "wise-webhook-private" | "wise-webhook-public"): string {
  return readFileSync(testKeyFile(name), "utf8");
}

/**
 * Loads the committed FAKE test keys, so the simulator and its tests agree on a keypair without
 * anyone generating or configuring one (the adapter gets the public key's file from
 * adapter-env.ts). Read relative to this file, so it works from any package script or test runner.
 */
export function loadTestKeys(): TestKeys {
  return {
    webhookPrivateKey: read("wise-webhook-private"),
    webhookPublicKey: read("wise-webhook-public"),
  };
}
