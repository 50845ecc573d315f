/**
 * Every way a QRIS payload can be wrong. A closed set so that callers (adapters, the router) can map
 * a decode failure to a reason without parsing messages.
 */
export type QrisErrorCode =
  | "TRUNCATED"
  | "BAD_LENGTH"
  | "BAD_TAG"
  | "DUPLICATE_TAG"
  | "MISSING_TAG"
  | "BAD_VALUE"
  | "BAD_CRC"
  | "TOO_LONG"
  | "BAD_ORDER";

/** Where in a payload an error was found. */
export interface QrisErrorLocation {
  /** Absolute character offset of the offending field's tag, also for fields nested in templates. */
  offset?: number | undefined;
  /** Root tag ("54") or nested path ("26.01") of the offending field. */
  tag?: string | undefined;
}

// Symbol.for so that two copies of this module (e.g. duplicated in node_modules) still recognise
// each other's errors, which `instanceof` would not.
const qrisErrorBrand: unique symbol = Symbol.for("@paymesh/qris/QrisError");

/**
 * The only error the codec throws. Carries a closed code plus the tag and absolute offset so that a
 * broken sticker can be diagnosed from the message alone, e.g.
 * `tag 54 at offset 112: amount "0" must be positive`.
 */
export class QrisError extends Error {
  override name = "QrisError";
  readonly code: QrisErrorCode;
  /**
   * Where the offending field starts. For a missing conditional field this is the field that demands
   * it (55 for a missing 56); undefined when the payload as a whole lacks a mandatory field.
   */
  readonly offset: number | undefined;
  /** Root tag ("54") or nested path ("26.01"); undefined for problems with the payload as a whole. */
  readonly tag: string | undefined;
  readonly [qrisErrorBrand] = true;

  constructor(code: QrisErrorCode, detail: string, where: QrisErrorLocation = {}, options?: ErrorOptions) {
    super(prefix(where) + detail, options);
    this.code = code;
    this.offset = where.offset;
    this.tag = where.tag;
  }
}

/** Recognises a QrisError by its brand rather than `instanceof`, which breaks across module copies. */
export function isQrisError(value: unknown): value is QrisError {
  return typeof value === "object" && value !== null && qrisErrorBrand in value;
}

function prefix({ offset, tag }: QrisErrorLocation): string {
  if (tag !== undefined && offset !== undefined) return `tag ${tag} at offset ${offset}: `;
  if (tag !== undefined) return `tag ${tag}: `;
  if (offset !== undefined) return `offset ${offset}: `;
  return "";
}
