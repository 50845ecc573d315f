/**
 * SNAP header names (docs/providers.md). One spelling in one place: node:http lower-cases incoming
 * names, fetch does not care, and a typo in a header name shows up as a bank's 401, not a compile error.
 */
export const SnapHeader = {
  timestamp: "X-TIMESTAMP",
  signature: "X-SIGNATURE",
  clientKey: "X-CLIENT-KEY",
  partnerId: "X-PARTNER-ID",
  externalId: "X-EXTERNAL-ID",
  channelId: "CHANNEL-ID",
  authorization: "Authorization",
} as const;
