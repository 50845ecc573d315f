// Known secrets for tests that push them through a log path and look for them in what was written
// ("@paymesh/telemetry/testing"). Each is what a real one looks like, so the rules meet its shape.

/** One of each kind of secret the redaction rules exist for. */
export const KNOWN_SECRETS = Object.freeze({
  accountNumber: "8123456789012",
  holderName: "Siti Rahayu",
  bearerToken: "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
  signature: "c2lnbmF0dXJlLW9mLXRoZS13ZWJob29r",
  apiKey: "xnd_development_P4qDfOss0OCpl8RtKrROHjaQ",
  privateKey: [
    "-----BEGIN PRIVATE KEY-----",
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7",
    "-----END PRIVATE KEY-----",
  ].join("\n"),
});

/** The fragments whose presence in output means a secret leaked: each secret, and its telling part. */
const TELLING = [
  KNOWN_SECRETS.accountNumber,
  // A name masked by key keeps its first letter only: neither word may remain.
  "Siti",
  "Rahayu",
  KNOWN_SECRETS.bearerToken,
  KNOWN_SECRETS.signature,
  KNOWN_SECRETS.apiKey,
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
];

/** The known secrets' telling fragments found in `output`; empty when nothing leaked. */
export function leakedSecrets(output: string): string[] {
  return TELLING.filter((fragment) => output.includes(fragment));
}
