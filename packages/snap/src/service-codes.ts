/**
 * SNAP service codes: the middle two digits of every `responseCode`, naming the API that answered
 * (docs/providers.md, "Service codes"). Only the QR MPM family and the access token are listed because
 * that is what Paymesh speaks; add others (VA `24`–`31`, transfers `17`/`18`) when an adapter needs them.
 */
export const SnapServiceCode = {
  /** `POST /v1.0/qr/qr-mpm-generate`. */
  qrMpmGenerate: "47",
  /** `POST /v1.0/qr/qr-mpm-query`. */
  qrMpmQuery: "51",
  /** `POST /v1.0/qr/qr-mpm-notify` (provider to partner). */
  qrMpmNotify: "52",
  /** `POST /v1.0/qr/qr-mpm-cancel`. */
  qrMpmCancel: "77",
  /** `POST /v1.0/qr/qr-mpm-refund`. */
  qrMpmRefund: "78",
  /** `POST /v1.0/access-token/b2b`. */
  accessToken: "73",
} as const;

/** One of the service codes above. */
export type SnapServiceCode = (typeof SnapServiceCode)[keyof typeof SnapServiceCode];

/**
 * `latestTransactionStatus` values of SNAP QR MPM query answers and notifications: `00`–`07` as
 * Finpay's "SNAP QRIS – Query Payment" and "Payment Notify" pages list them, `08` (written
 * "Expiry") and `09` as Qoin's "QR MPM Query" reference adds them.
 */
export const SnapTransactionStatus = {
  success: "00",
  initiated: "01",
  paying: "02",
  pending: "03",
  refunded: "04",
  cancelled: "05",
  failed: "06",
  notFound: "07",
  expired: "08",
  rejected: "09",
} as const;

/** One of the transaction status values above. */
export type SnapTransactionStatus = (typeof SnapTransactionStatus)[keyof typeof SnapTransactionStatus];
