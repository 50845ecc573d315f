export type { SignAccessTokenInput, VerifyAccessTokenInput } from "./access-token-signature.ts";
export {
  accessTokenStringToSign,
  signAccessToken,
  verifyAccessTokenSignature,
} from "./access-token-signature.ts";
export type { SnapAmount } from "./amount.ts";
export { formatSnapAmount, parseSnapAmount } from "./amount.ts";
export type { AsymmetricSignatureInput } from "./asymmetric-signature.ts";
export {
  asymmetricSignature,
  asymmetricStringToSign,
  verifyAsymmetricSignature,
} from "./asymmetric-signature.ts";
export { minifiedBodyHash } from "./body-hash.ts";
export { SnapHeader } from "./headers.ts";
export type { KeyLike } from "./key-like.ts";
export { minifyJson } from "./minify-json.ts";
export type { SnapPublishedCase } from "./response-cases.ts";
export { publishedSnapCase, SNAP_PUBLISHED_CASES } from "./response-cases.ts";
export type { SnapResponseCodeParts } from "./response-code.ts";
export { parseSnapResponseCode, snapResponseCode } from "./response-code.ts";
export { SnapServiceCode, SnapTransactionStatus } from "./service-codes.ts";
export type { SnapCaseDefinition, SnapCaseName } from "./snap-case.ts";
export { SnapCase, snapCaseCode, snapCaseOf } from "./snap-case.ts";
export type { SymmetricSignatureInput } from "./symmetric-signature.ts";
export {
  symmetricSignature,
  symmetricStringToSign,
  verifySymmetricSignature,
} from "./symmetric-signature.ts";
export { parseSnapTimestamp, snapDate, snapTimestamp } from "./timestamp.ts";
