import { baseConfigFields, type ConfigFields, ControlError, failNextField } from "@paymesh/sandbox-kit";
import type { SimConfig } from "./sim-state.ts";

/** `failNext` answers a SNAP responseCode: 7 digits, HTTP status first (default 5000000). */
const failNext = failNextField((spec) => {
  const responseCode = "responseCode" in spec ? spec.responseCode : "5000000";
  if (typeof responseCode !== "string" || !/^[1-5]\d{6}$/.test(responseCode)) {
    throw new ControlError(400, "failNext.responseCode must be a 7-digit SNAP response code");
  }
  return { responseCode };
});

/**
 * What `POST /sim/config` accepts, checked strictly so a typo in a chaos test fails loudly instead of
 * silently injecting nothing. `null` clears notifyUrl or failNext.
 */
export const configFields: ConfigFields<SimConfig> = { ...baseConfigFields, failNext };
