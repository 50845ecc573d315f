/**
 * A control action that cannot be done (unknown transaction, wrong state, bad config), answered by the
 * `/sim/` control API as HTTP `status` with `{"error": message}`. Never a provider error: those have
 * each provider's own shape and are answered only on provider routes.
 */
export class ControlError extends Error {
  /** Marker checked by {@link isControlError}; survives two copies of this package in one process. */
  readonly isControlError = true;
  override readonly name = "ControlError";
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** True when `error` is a {@link ControlError}, checked by its marker rather than `instanceof`. */
export function isControlError(error: unknown): error is ControlError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as Record<string, unknown>).isControlError === true &&
    typeof (error as Record<string, unknown>).status === "number"
  );
}
