/**
 * One TLV data object. `children` is set for templates whose value is itself TLV: 26–51 (merchant
 * account info / domestic repository), 62 (additional data), 64 (language template), 80–99
 * (unreserved templates). When encoding, `children` wins over `value`.
 */
export interface QrisField {
  tag: string;
  value: string;
  children?: QrisField[];
}

/** Tip or convenience fee from tags 55–57; the payer's app adds it on top of the amount. */
export type QrisTip =
  | { kind: "prompt" }
  | { kind: "fixed"; value: string }
  | { kind: "percentage"; value: string };

/** A merchant account information template (tags 26–45): which acquirer, and the merchant there. */
export interface QrisMerchantAccount {
  tag: string;
  /** Sub-tag 00, reverse-domain id of the acquirer or issuer, e.g. `ID.DANA.WWW`. */
  globalId: string;
  /** Sub-tag 01, 18 digits: NNS `9360xxxx` plus 10 digits. */
  pan?: string;
  /** Sub-tag 02. */
  merchantId?: string;
  /** Sub-tag 03: UMI, UKE, UME, UBE or URE. */
  criteria?: string;
}

/**
 * Tag 62 sub-fields. The three that Paymesh uses get names; any other sub-tag is kept under its
 * two-digit key (e.g. `"08"`, purpose of transaction) so nothing on the sticker is lost.
 */
export interface QrisAdditionalData {
  billNumber?: string;
  referenceLabel?: string;
  terminalLabel?: string;
  [subTag: string]: string | undefined;
}

/** A decoded payload that passed every check in `decodeQris`, with the fields Paymesh reads pulled out. */
export interface QrisPayload {
  /** Root fields in payload order, including 00 and 63. */
  fields: QrisField[];
  /** Tag 01: "11" static (payer types the amount), "12" dynamic (one transaction). */
  pointOfInitiation: "static" | "dynamic";
  /** Templates 26–45 in payload order. */
  merchantAccounts: QrisMerchantAccount[];
  /** Tag 51 sub-tag 02, the national merchant id. */
  nmid?: string;
  mcc: string;
  currency: string;
  countryCode: string;
  merchantName: string;
  merchantCity: string;
  postalCode?: string;
  /** Tag 54 verbatim, e.g. "10000" or "10000.50"; see `parseQrisAmount` for minor units. */
  amount?: string;
  tip?: QrisTip;
  additionalData?: QrisAdditionalData;
  /** Tag 63 as found, uppercased. */
  crc: string;
}
