import { type Code, ConnectError } from "@connectrpc/connect";
import { ERROR_DOMAIN, type PaymeshError, reasonName } from "@paymesh/adapter-kit";
import { ErrorInfoSchema } from "@paymesh/proto";

/**
 * A failure as a Connect caller sees it: the same code, message and ErrorInfo (reason, the
 * paymesh.dev domain, metadata such as `field`) a gRPC caller gets for it.
 */
export function connectErrorOf(failure: PaymeshError): ConnectError {
  return new ConnectError(failure.message, failure.code as number as Code, undefined, [
    {
      desc: ErrorInfoSchema,
      value: { reason: reasonName(failure.reason), domain: ERROR_DOMAIN, metadata: { ...failure.metadata } },
    },
  ]);
}
