/** One entry of Wise's error list: `{"code","message","path"?,"arguments"?}`. */
export interface WiseErrorEntry {
  code: string;
  message: string;
  path?: string;
  arguments?: string[];
}

/**
 * A Wise error answer, thrown anywhere in a route and written as
 * `{"errors":[{"code","message","path"}]}` with its HTTP status in one place (docs/providers.md, "Wise":
 * recipient errors; the simulator uses the same envelope for every API error, *unconfirmed* for
 * the non-recipient ones).
 */
export class WiseFailure extends Error {
  readonly httpStatus: number;
  readonly errors: WiseErrorEntry[];

  constructor(httpStatus: number, errors: WiseErrorEntry[]) {
    super(errors.map((entry) => `${entry.code}: ${entry.message}`).join("; "));
    this.name = "WiseFailure";
    this.httpStatus = httpStatus;
    this.errors = errors;
  }

  /** The error body as Wise writes it. */
  toBody(): { errors: WiseErrorEntry[] } {
    return { errors: this.errors };
  }
}

/** A field-level validation failure, Wise's `NOT_VALID` with the path of the field at fault. */
export function notValid(path: string, message: string, value?: string): WiseFailure {
  return new WiseFailure(422, [
    { code: "NOT_VALID", message, path, ...(value === undefined ? {} : { arguments: [path, value] }) },
  ]);
}

/** A failure with one coded entry, e.g. `quote.expired` (the simulator's code list, sandbox/README.md). */
export function wiseFailure(httpStatus: number, code: string, message: string, path?: string): WiseFailure {
  return new WiseFailure(httpStatus, [{ code, message, ...(path === undefined ? {} : { path }) }]);
}
