import type { ProviderAnswer } from "@paymesh/sandbox-kit";
import { SnapCase, type SnapCaseName, snapCaseCode } from "@paymesh/snap";

/**
 * A SNAP error answer, thrown by validation anywhere in a route and turned into
 * `{"responseCode","responseMessage"}` with the matching HTTP status in one place.
 */
export class SnapFailure extends Error {
  readonly httpStatus: number;
  readonly responseCode: string;

  constructor(httpStatus: number, responseCode: string, message: string) {
    super(message);
    this.name = "SnapFailure";
    this.httpStatus = httpStatus;
    this.responseCode = responseCode;
  }

  /** The SNAP error body. */
  toBody(): { responseCode: string; responseMessage: string } {
    return { responseCode: this.responseCode, responseMessage: this.message };
  }

  /** The whole answer: the HTTP status and the SNAP error body. */
  toAnswer(): ProviderAnswer {
    return { status: this.httpStatus, body: this.toBody() };
  }
}

/**
 * A failure for a documented case, worded the way SNAP banks word them: the case's message, then
 * the field in braces (`Invalid Mandatory Field {amount.value}`) or the reason in brackets
 * (`Unauthorized. [Signature]`).
 */
export function snapFailure(name: SnapCaseName, serviceCode: string, detail?: string): SnapFailure {
  const definition = SnapCase[name];
  const message = detail === undefined ? definition.message : `${definition.message} ${detail}`;
  return new SnapFailure(definition.httpStatus, snapCaseCode(name, serviceCode), message);
}

/** A failure from a raw 7-character code, for injected errors whose code a test chooses. */
export function rawSnapFailure(responseCode: string, message: string): SnapFailure {
  const status = Number(responseCode.slice(0, 3));
  return new SnapFailure(Number.isInteger(status) && status >= 100 ? status : 500, responseCode, message);
}
