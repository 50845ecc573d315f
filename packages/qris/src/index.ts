// Public surface of @paymesh/qris: the QRIS / EMVCo merchant-presented-mode codec. Everything else in
// this folder is an implementation detail.
export { formatQrisAmount, parseQrisAmount } from "./qris-amount.ts";
export { crc16CcittFalse } from "./qris-crc.ts";
export { decodeQris, QRIS_MAX_LENGTH } from "./qris-decode.ts";
export { type QrisDynamicOptions, toDynamicQris } from "./qris-dynamic.ts";
export { encodeQris } from "./qris-encode.ts";
export { isQrisError, QrisError, type QrisErrorCode, type QrisErrorLocation } from "./qris-error.ts";
export type {
  QrisAdditionalData,
  QrisField,
  QrisMerchantAccount,
  QrisPayload,
  QrisTip,
} from "./qris-types.ts";
