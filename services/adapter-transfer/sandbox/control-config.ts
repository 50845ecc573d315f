import {
  baseConfigFields,
  type ConfigFields,
  ControlError,
  callbackOrderFields,
  failNextField,
  nonNegativeInteger,
  nullable,
} from "@paymesh/sandbox-kit";
import type { IdempotencyMode } from "./options.ts";
import type { SimConfig } from "./sim-state.ts";
import { isXenditErrorCode } from "./xendit-failure.ts";

function parseIdempotencyMode(value: unknown): IdempotencyMode {
  if (value !== "reject" && value !== "replay") {
    throw new ControlError(400, 'idempotencyMode must be "reject" or "replay"');
  }
  return value;
}

/** `failNext` answers a Xendit `error_code` the simulator knows (default SERVER_ERROR). */
const failNext = failNextField((spec) => {
  const errorCode = "error_code" in spec ? spec.error_code : "SERVER_ERROR";
  if (!isXenditErrorCode(errorCode)) {
    throw new ControlError(400, "failNext.error_code must be a Xendit error code the simulator knows");
  }
  return { error_code: errorCode };
});

/**
 * What `POST /sim/config` accepts, checked strictly so a typo in a chaos test fails loudly instead of
 * silently injecting nothing. `null` clears notifyUrl, failNext or autoCompleteMs.
 */
export const configFields: ConfigFields<SimConfig> = {
  ...baseConfigFields,
  ...callbackOrderFields,
  autoCompleteMs: nullable(nonNegativeInteger),
  idempotencyMode: parseIdempotencyMode,
  failNext,
};
