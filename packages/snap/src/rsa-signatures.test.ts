import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signAccessToken, verifyAccessTokenSignature } from "./access-token-signature.ts";
import {
  asymmetricSignature,
  asymmetricStringToSign,
  verifyAsymmetricSignature,
} from "./asymmetric-signature.ts";

function pemPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
}

const partner = pemPair();
const other = pemPair();

describe("access token signature", () => {
  const timestamp = "2024-03-05T17:37:16+07:00";

  it("round-trips and rejects tampering", () => {
    const signature = signAccessToken({ clientId: "client", timestamp, privateKey: partner.privateKey });
    const check = { clientId: "client", timestamp, signature, publicKey: partner.publicKey };
    expect(verifyAccessTokenSignature(check)).toBe(true);
    expect(verifyAccessTokenSignature({ ...check, clientId: "client2" })).toBe(false);
    expect(verifyAccessTokenSignature({ ...check, timestamp: "2024-03-05T17:37:17+07:00" })).toBe(false);
    expect(verifyAccessTokenSignature({ ...check, publicKey: other.publicKey })).toBe(false);
  });
});

describe("asymmetric signature", () => {
  const input = {
    method: "post",
    path: "/webhooks/qris",
    body: '{"originalReferenceNo":"1","latestTransactionStatus":"00"}',
    timestamp: "2024-03-05T17:37:16+07:00",
  };

  it("signs METHOD:path:bodyHash:timestamp", () => {
    expect(asymmetricStringToSign(input)).toMatch(
      /^POST:\/webhooks\/qris:[0-9a-f]{64}:2024-03-05T17:37:16\+07:00$/,
    );
  });

  it("round-trips and returns false on tampering", () => {
    const signature = asymmetricSignature({ ...input, privateKey: partner.privateKey });
    const check = { ...input, signature, publicKey: partner.publicKey };
    expect(verifyAsymmetricSignature(check)).toBe(true);
    expect(verifyAsymmetricSignature({ ...check, body: input.body.replace("00", "06") })).toBe(false);
    expect(verifyAsymmetricSignature({ ...check, path: "/other" })).toBe(false);
    expect(verifyAsymmetricSignature({ ...check, publicKey: other.publicKey })).toBe(false);
  });

  it("never throws on garbage signatures or keys", () => {
    const check = { ...input, publicKey: partner.publicKey };
    expect(verifyAsymmetricSignature({ ...check, signature: "" })).toBe(false);
    expect(verifyAsymmetricSignature({ ...check, signature: "%%%not-base64%%%" })).toBe(false);
    expect(verifyAsymmetricSignature({ ...check, signature: "AAAA" })).toBe(false);
    expect(verifyAsymmetricSignature({ ...check, signature: "AAAA", publicKey: "not a pem" })).toBe(false);
  });
});
