/**
 * SNAP `responseCode`s are 7 characters: HTTP status (3) + service code (2) + case code (2),
 * e.g. `2004700` (docs/providers.md). Case codes only mean something together with the HTTP status
 * (`401xx00` and `404xx00` differ), so code is matched on both, never on the case code alone.
 */

/** The three parts of a SNAP response code. */
export interface SnapResponseCodeParts {
  httpStatus: number;
  serviceCode: string;
  caseCode: string;
}

const TWO_DIGITS = /^\d{2}$/;

/** Builds a response code; throws on parts that cannot form one (a bug at the call site). */
export function snapResponseCode(httpStatus: number, serviceCode: string, caseCode: string): string {
  if (!Number.isInteger(httpStatus) || httpStatus < 100 || httpStatus > 599) {
    throw new RangeError(`SNAP response code: HTTP status ${httpStatus} is not 100–599`);
  }
  if (!TWO_DIGITS.test(serviceCode))
    throw new RangeError(`SNAP service code "${serviceCode}" is not 2 digits`);
  if (!TWO_DIGITS.test(caseCode)) throw new RangeError(`SNAP case code "${caseCode}" is not 2 digits`);
  return `${httpStatus}${serviceCode}${caseCode}`;
}

/** Splits a provider's response code; throws on anything that is not 7 digits starting with an HTTP status. */
export function parseSnapResponseCode(code: string): SnapResponseCodeParts {
  const match = /^([1-5]\d{2})(\d{2})(\d{2})$/.exec(code);
  if (match === null) throw new RangeError(`"${code}" is not a 7-digit SNAP response code`);
  const [, status = "", serviceCode = "", caseCode = ""] = match;
  return { httpStatus: Number(status), serviceCode, caseCode };
}
