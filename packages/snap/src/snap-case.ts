import { parseSnapResponseCode, snapResponseCode } from "./response-code.ts";

/** A response-code case: HTTP status + case code, valid for any service code. */
export interface SnapCaseDefinition {
  readonly httpStatus: number;
  readonly caseCode: string;
  /** The `responseMessage` the SNAP standard pairs with the case. */
  readonly message: string;
}

function snapCase(httpStatus: number, caseCode: string, message: string): SnapCaseDefinition {
  return { httpStatus, caseCode, message };
}

/**
 * The response-code cases Paymesh meets, from docs/providers.md's list unless marked. `xx` in the
 * comments is the service code. Adapters map these (not raw strings) to Paymesh reasons.
 */
export const SnapCase = {
  /** `200xx00`. */
  success: snapCase(200, "00", "Successful"),
  /** `202xx00`: accepted, outcome later. */
  inProgress: snapCase(202, "00", "Request In Progress"),
  /** `400xx01`: a field is present but malformed. */
  invalidFieldFormat: snapCase(400, "01", "Invalid Field Format"),
  /** `400xx02`: a mandatory field or header is missing. */
  missingMandatoryField: snapCase(400, "02", "Invalid Mandatory Field"),
  /** `401xx00`: bad signature, unknown client, wrong partner id. */
  unauthorized: snapCase(401, "00", "Unauthorized"),
  /** `401xx01`: access token unknown or expired; fetch a new one and retry. */
  invalidToken: snapCase(401, "01", "Invalid Token (B2B)"),
  /** `403xx00`: the SNAP standard's list (response-cases.ts). */
  transactionExpired: snapCase(403, "00", "Transaction Expired"),
  /** `403xx14`. */
  insufficientFunds: snapCase(403, "14", "Insufficient Funds"),
  /** `403xx15`: the SNAP standard's list (response-cases.ts). */
  transactionNotPermitted: snapCase(403, "15", "Transaction Not Permitted"),
  /** `404xx01`. */
  transactionNotFound: snapCase(404, "01", "Transaction Not Found"),
  /** `404xx08`: the SNAP standard's list (response-cases.ts). */
  invalidMerchant: snapCase(404, "08", "Invalid Merchant"),
  /** `409xx00`: the same X-EXTERNAL-ID was used the same day. */
  duplicateExternalId: snapCase(409, "00", "Conflict"),
  /** `409xx01`: the partnerReferenceNo already names a transaction. */
  duplicatePartnerReference: snapCase(409, "01", "Duplicate partnerReferenceNo"),
  /** `500xx00`. */
  generalError: snapCase(500, "00", "General Error"),
  /** `504xx00`: the provider timed out; the outcome is unknown. */
  timeout: snapCase(504, "00", "Timeout"),
} as const;

/** The name of a case in {@link SnapCase}. */
export type SnapCaseName = keyof typeof SnapCase;

/** The full response code of a case for one service, e.g. `snapCaseCode("invalidToken", "47")` = `4014701`. */
export function snapCaseCode(name: SnapCaseName, serviceCode: string): string {
  const definition = SnapCase[name];
  return snapResponseCode(definition.httpStatus, serviceCode, definition.caseCode);
}

/** Which known case a provider's response code is, or undefined for codes outside the table. */
export function snapCaseOf(code: string): SnapCaseName | undefined {
  const parts = parseSnapResponseCode(code);
  for (const [name, definition] of Object.entries(SnapCase)) {
    if (definition.httpStatus === parts.httpStatus && definition.caseCode === parts.caseCode) {
      return name as SnapCaseName;
    }
  }
  return undefined;
}
