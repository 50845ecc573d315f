import { isPaymeshError, type PaymeshError } from "../paymesh-error.ts";
import { isProviderTransportError, type ProviderTransportError } from "../provider-transport-error.ts";

/** The error `promise` rejected with, or a thrown Error when it resolved. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the call to fail, but it succeeded");
    },
    (caught: unknown) => caught,
  );
}

/** The PaymeshError a call failed with; fails the test when it succeeded or failed otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<PaymeshError> {
  const error = await rejectionOf(promise);
  if (!isPaymeshError(error)) throw error;
  return error;
}

/** The PaymeshError a synchronous `run` threw; fails the test when it returned or threw otherwise. */
export function thrown(run: () => unknown): PaymeshError {
  try {
    run();
  } catch (error) {
    if (isPaymeshError(error)) return error;
    throw error;
  }
  throw new Error("expected a PaymeshError to be thrown, but the call returned");
}

/**
 * The ProviderTransportError a provider client call failed with (no HTTP answer, or none that
 * could be read); fails the test when it succeeded or failed otherwise.
 */
export async function transportRejection(promise: Promise<unknown>): Promise<ProviderTransportError> {
  const error = await rejectionOf(promise);
  if (!isProviderTransportError(error))
    throw new Error(`expected a ProviderTransportError, got ${String(error)}`);
  return error;
}

/** What a test asserts about a PaymeshError: the wire code, the reason's name and the field. */
export function errorSummary(error: PaymeshError): {
  code: number;
  reason: string;
  field: string | undefined;
  providerCode: string | undefined;
} {
  return {
    code: error.code,
    reason: error.reasonName,
    field: error.field,
    providerCode: error.metadata.provider_code,
  };
}
