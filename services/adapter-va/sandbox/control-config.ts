import type { ConfigFields } from "@paymesh/sandbox-kit";
import { baseConfigFields, ControlError, callbackOrderFields, failNextField } from "@paymesh/sandbox-kit";
import type { SimConfig } from "./sim-state.ts";

/** `failNext` answers a Midtrans status_code string, optionally carried by another HTTP status. */
const failNext = failNextField((spec) => {
  const statusCode = spec.statusCode ?? "500";
  if (typeof statusCode !== "string" || !/^[2-5]\d{2}$/.test(statusCode)) {
    throw new ControlError(
      400,
      'failNext.statusCode must be a 3-digit Midtrans status_code string, e.g. "503"',
    );
  }
  const httpStatus = spec.httpStatus;
  if (
    httpStatus !== undefined &&
    (typeof httpStatus !== "number" || !Number.isInteger(httpStatus) || httpStatus < 200 || httpStatus > 599)
  ) {
    throw new ControlError(400, "failNext.httpStatus must be an HTTP status");
  }
  return { statusCode, ...(typeof httpStatus === "number" ? { httpStatus } : {}) };
});

/**
 * What `POST /sim/config` accepts, checked strictly so a typo in a chaos test fails loudly instead of
 * silently injecting nothing. `null` clears notifyUrl or failNext.
 */
export const configFields: ConfigFields<SimConfig> = {
  ...baseConfigFields,
  ...callbackOrderFields,
  failNext,
};
