import {
  baseConfigFields,
  type ConfigFields,
  ControlError,
  jsonObject,
  nonNegativeInteger,
  nullable,
} from "@paymesh/sandbox-kit";
import type { SimConfig } from "./sim-state.ts";

/** `failNext` answers a SNAP responseCode: 7 digits, HTTP status first (default 5000000). */
function parseFailNext(value: unknown): SimConfig["failNext"] {
  const failNext = jsonObject(value, "failNext");
  const responseCode = "responseCode" in failNext ? failNext.responseCode : "5000000";
  if (typeof responseCode !== "string" || !/^[1-5]\d{6}$/.test(responseCode)) {
    throw new ControlError(400, "failNext.responseCode must be a 7-digit SNAP response code");
  }
  const count = nonNegativeInteger("count" in failNext ? failNext.count : 1, "failNext.count");
  return { count, responseCode };
}

/**
 * What `POST /sim/config` accepts, checked strictly so a typo in a chaos test fails loudly instead of
 * silently injecting nothing. `null` clears notifyUrl or failNext.
 */
export const configFields: ConfigFields<SimConfig> = {
  ...baseConfigFields,
  failNext: nullable(parseFailNext),
};
