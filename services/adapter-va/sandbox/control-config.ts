import {
  baseConfigFields,
  type ConfigFields,
  ControlError,
  callbackOrderFields,
  jsonObject,
  nonNegativeInteger,
  nullable,
} from "@paymesh/sandbox-kit";
import type { SimConfig } from "./sim-state.ts";

/**
 * What `POST /sim/config` accepts, checked strictly so a typo in a chaos test fails loudly instead of
 * silently injecting nothing. `null` clears notifyUrl or failNext.
 */
export const configFields: ConfigFields<SimConfig> = {
  ...baseConfigFields,
  ...callbackOrderFields,
  failNext: nullable(parseFailNext),
};

/** `failNext` answers a Midtrans status_code string, optionally carried by another HTTP status. */
function parseFailNext(value: unknown): SimConfig["failNext"] {
  const failNext = jsonObject(value, "failNext");
  const statusCode = failNext.statusCode ?? "500";
  if (typeof statusCode !== "string" || !/^[2-5]\d{2}$/.test(statusCode)) {
    throw new ControlError(
      400,
      'failNext.statusCode must be a 3-digit Midtrans status_code string, e.g. "503"',
    );
  }
  const httpStatus = failNext.httpStatus;
  if (
    httpStatus !== undefined &&
    (typeof httpStatus !== "number" || !Number.isInteger(httpStatus) || httpStatus < 200 || httpStatus > 599)
  ) {
    throw new ControlError(400, "failNext.httpStatus must be an HTTP status");
  }
  return {
    count: nonNegativeInteger(failNext.count ?? 1, "failNext.count"),
    statusCode,
    ...(typeof httpStatus === "number" ? { httpStatus } : {}),
  };
}
