import { describe, expect, it } from "vitest";
import { minifiedBodyHash } from "./body-hash.ts";
import {
  symmetricSignature,
  symmetricStringToSign,
  verifySymmetricSignature,
} from "./symmetric-signature.ts";

// The vector from docs/providers.md ("Symmetric signature").
const body =
  '{"partnerReferenceNo":"2020102900000000000001","amount":{"value":"12345678.00","currency":"IDR"},' +
  '"feeAmount":{"value":"12345678.00","currency":"IDR"},"merchantId":"00007100010926",' +
  '"terminalId":"213141251124","validityPeriod":"2009-07-03T12:08:56-07:00"}';
const vector = {
  method: "POST",
  path: "/v1.0/qr/qr-mpm-generate",
  accessToken: "myaccesstoken",
  body,
  timestamp: "2024-03-05T10:37:16.196Z",
  clientSecret: "myclientsecret",
};
// Computed independently with:
// printf '%s' "POST:/v1.0/qr/qr-mpm-generate:myaccesstoken:<hash>:2024-03-05T10:37:16.196Z" \
//   | openssl dgst -sha512 -hmac myclientsecret -binary | base64
const expectedSignature =
  "wmzT7yjg1SxxCsxNsFgCR9SYXiZGGbceF6fV8xe97sAMHxZ+7OEBMIBmvb6Sj6GcksGp3iv77DiomgSbcST3XQ==";

describe("symmetric signature", () => {
  it("hashes the minified body (docs/providers.md vector)", () => {
    expect(minifiedBodyHash(body)).toBe("01463f60dbb6ca538581579dd95b31c8ba9fc6600eca750e4d8460ca4e402111");
    expect(minifiedBodyHash(new TextEncoder().encode(body))).toBe(minifiedBodyHash(body));
  });

  it("builds the string to sign with the lowercase hex body hash", () => {
    expect(symmetricStringToSign(vector)).toBe(
      "POST:/v1.0/qr/qr-mpm-generate:myaccesstoken:" +
        "01463f60dbb6ca538581579dd95b31c8ba9fc6600eca750e4d8460ca4e402111:2024-03-05T10:37:16.196Z",
    );
  });

  it("signs the vector with base64 HMAC-SHA512", () => {
    expect(symmetricSignature(vector)).toBe(expectedSignature);
    expect(symmetricSignature({ ...vector, method: "post" })).toBe(expectedSignature);
  });

  it("verifies the body pretty-printed: the hash is of its minified form", () => {
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    expect(verifySymmetricSignature({ ...vector, body: `${pretty}\n`, signature: expectedSignature })).toBe(
      true,
    );
  });

  it("verifies the right signature and rejects any change", () => {
    expect(verifySymmetricSignature({ ...vector, signature: expectedSignature })).toBe(true);
    const altered = body.replace("12345678.00", "12345679.00");
    expect(verifySymmetricSignature({ ...vector, body: altered, signature: expectedSignature })).toBe(false);
    expect(verifySymmetricSignature({ ...vector, accessToken: "other", signature: expectedSignature })).toBe(
      false,
    );
    expect(verifySymmetricSignature({ ...vector, clientSecret: "x", signature: expectedSignature })).toBe(
      false,
    );
    expect(verifySymmetricSignature({ ...vector, signature: "" })).toBe(false);
    expect(verifySymmetricSignature({ ...vector, signature: "not base64 at all ✓" })).toBe(false);
  });
});
