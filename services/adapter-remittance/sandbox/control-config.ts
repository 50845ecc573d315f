import type { ConfigFields } from "@paymesh/sandbox-kit";
import { baseConfigFields, ControlError, callbackOrderFields, failNextField } from "@paymesh/sandbox-kit";
import type { SimConfig } from "./sim-state.ts";

/** `failNext` answers Wise's error envelope with any HTTP error status and code, optionally for one endpoint. */
const failNext = failNextField((spec) => {
  const status = spec.status ?? 500;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 400 || status > 599) {
    throw new ControlError(400, "failNext.status must be an HTTP error status (400-599)");
  }
  const code = spec.code ?? "INTERNAL_ERROR";
  if (typeof code !== "string" || code === "") throw new ControlError(400, "failNext.code must be a string");
  const endpoint = spec.endpoint;
  if (endpoint !== undefined && typeof endpoint !== "string") {
    throw new ControlError(400, 'failNext.endpoint must be an endpoint name, e.g. "create-transfer"');
  }
  return { status, code, endpoint };
});

/**
 * What `POST /sim/config` accepts, checked strictly so a typo in a chaos test fails loudly instead of
 * silently injecting nothing. `null` clears notifyUrl or failNext.
 */
export const configFields: ConfigFields<SimConfig> = {
  ...baseConfigFields,
  ...callbackOrderFields,
  failNext,
  fundingStatus: (value, name) => {
    if (value === null) return undefined;
    if (typeof value !== "string" || value === "")
      throw new ControlError(400, `${name} must be a status word`);
    return value;
  },
};
