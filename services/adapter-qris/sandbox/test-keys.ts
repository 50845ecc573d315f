import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

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

/** The committed key files, by role. */
export type TestKeyName = "partner-private" | "partner-public" | "bank-private" | "bank-public";

/**
 * The absolute path of one committed key file, resolved from this file rather than the working
 * directory: what a process configured with key files (the adapter) is given.
 */
export function testKeyPath(name: TestKeyName): string {
  return fileURLToPath(new URL(`./test-keys/FAKE-TEST-ONLY-${name}.pem`, import.meta.url));
}

function read(name: TestKeyName): string {
  return readFileSync(testKeyPath(name), "utf8");
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
