/**
 * Every response-code case the SNAP standard publishes, valid for any service code: HTTP status,
 * case code and the standard's `responseMessage`. Sources: the SNAP Developer Site (ASPI), "Daftar
 * Response Code" under each service's "Responses Code"; repeated word for word by DOKU's "Error
 * Response - SNAP" page. The `xx` service code goes between the two parts.
 */
export interface SnapPublishedCase {
  readonly httpStatus: number;
  readonly caseCode: string;
  readonly message: string;
}

const row = (httpStatus: number, caseCode: string, message: string): SnapPublishedCase => ({
  httpStatus,
  caseCode,
  message,
});

/** The published list, in its own order. */
export const SNAP_PUBLISHED_CASES: readonly SnapPublishedCase[] = [
  row(200, "00", "Successful"),
  row(202, "00", "Request In Progress"),
  row(400, "00", "Bad Request"),
  row(400, "01", "Invalid Field Format"),
  row(400, "02", "Invalid Mandatory Field"),
  row(401, "00", "Unauthorized"),
  row(401, "01", "Invalid Token (B2B)"),
  row(401, "02", "Invalid Customer Token"),
  row(401, "03", "Token Not Found (B2B)"),
  row(401, "04", "Customer Token Not Found"),
  row(403, "00", "Transaction Expired"),
  row(403, "01", "Feature Not Allowed"),
  row(403, "02", "Exceeds Transaction Amount Limit"),
  row(403, "03", "Suspected Fraud"),
  row(403, "04", "Activity Count Limit Exceeded"),
  row(403, "05", "Do Not Honor"),
  row(403, "06", "Feature Not Allowed At This Time"),
  row(403, "07", "Card Blocked"),
  row(403, "08", "Card Expired"),
  row(403, "09", "Dormant Account"),
  row(403, "10", "Need To Set Token Limit"),
  row(403, "11", "OTP Blocked"),
  row(403, "12", "OTP Lifetime Expired"),
  row(403, "13", "OTP Sent To Cardholder"),
  row(403, "14", "Insufficient Funds"),
  row(403, "15", "Transaction Not Permitted"),
  row(403, "16", "Suspend Transaction"),
  row(403, "17", "Token Limit Exceeded"),
  row(403, "18", "Inactive Card/Account/Customer"),
  row(403, "19", "Merchant Blacklisted"),
  row(403, "20", "Merchant Limit Exceed"),
  row(403, "21", "Set Limit Not Allowed"),
  row(403, "22", "Token Limit Invalid"),
  row(403, "23", "Account Limit Exceed"),
  row(404, "00", "Invalid Transaction Status"),
  row(404, "01", "Transaction Not Found"),
  row(404, "02", "Invalid Routing"),
  row(404, "03", "Bank Not Supported By Switch"),
  row(404, "04", "Transaction Cancelled"),
  row(404, "05", "Merchant Is Not Registered For Card Registration Services"),
  row(404, "06", "Need To Request OTP"),
  row(404, "07", "Journey Not Found"),
  row(404, "08", "Invalid Merchant"),
  row(404, "09", "No Issuer"),
  row(404, "10", "Invalid API Transition"),
  row(404, "11", "Invalid Card/Account/Customer/Virtual Account"),
  row(404, "12", "Invalid Bill/Virtual Account"),
  row(404, "13", "Invalid Amount"),
  row(404, "14", "Paid Bill"),
  row(404, "15", "Invalid OTP"),
  row(404, "16", "Partner Not Found"),
  row(404, "17", "Invalid Terminal"),
  row(404, "18", "Inconsistent Request"),
  row(404, "19", "Invalid Bill/Virtual Account"),
  row(405, "00", "Requested Function Is Not Supported"),
  row(405, "01", "Requested Opearation Is Not Allowed"),
  row(409, "00", "Conflict"),
  row(409, "01", "Duplicate partnerReferenceNo"),
  row(429, "00", "Too Many Requests"),
  row(500, "00", "General Error"),
  row(500, "01", "Internal Server Error"),
  row(500, "02", "External Server Error"),
  row(504, "00", "Timeout"),
];

/** The published case of a 7-character response code, or undefined when the standard lists none. */
export function publishedSnapCase(responseCode: string): SnapPublishedCase | undefined {
  const httpStatus = Number(responseCode.slice(0, 3));
  const caseCode = responseCode.slice(5, 7);
  return SNAP_PUBLISHED_CASES.find((c) => c.httpStatus === httpStatus && c.caseCode === caseCode);
}
