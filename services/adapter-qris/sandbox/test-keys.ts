import { readFileSync } from "node:fs";

/** The simulator's throwaway keypairs as PEM text; see test-keys/README.md. */
export interface TestKeys {
  /** Signs access-token requests (the adapter's side). */
  partnerPrivateKey: string;
  /** Verifies access-token requests (the simulator's side). */
  partnerPublicKey: string;
  /** Signs payment notifications (the simulator's side). */
  bankPrivateKey: string;
  /** Verifies payment notifications (the adapter's side). */
  bankPublicKey: string;
}

function read(name: string): string {
  return readFileSync(new URL(`./test-keys/FAKE-TEST-ONLY-${name}.pem`, import.meta.url), "utf8");
}

/**
 * Loads the committed FAKE test keys, so the simulator, its tests and the adapter's tests agree on
 * keys without anyone generating or configuring them. Read relative to this file, not the working
 * directory, so it works from any package script or test runner.
 */
export function loadTestKeys(): TestKeys {
  return {
    partnerPrivateKey: read("partner-private"),
    partnerPublicKey: read("partner-public"),
    bankPrivateKey: read("bank-private"),
    bankPublicKey: read("bank-public"),
  };
}
