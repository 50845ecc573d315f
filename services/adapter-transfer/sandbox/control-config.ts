import type { JsonObject } from "./body-fields.ts";
import { ControlError } from "./sim-actions.ts";
import type { SimConfig } from "./sim-state.ts";
import { isXenditErrorCode } from "./xendit-failure.ts";

const FIELDS = [
  "notifyUrl",
  "latencyMs",
  "failNext",
  "resetConnections",
  "duplicateCallbacks",
  "reorderCallbacks",
  "autoCompleteMs",
  "idempotencyMode",
];

function count(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ControlError(400, `${name} must be a non-negative integer`);
  }
  return value;
}

function flag(value: unknown, name: string): boolean {
  if (typeof value !== "boolean") throw new ControlError(400, `${name} must be true or false`);
  return value;
}

/**
 * Validates a `POST /sim/config` body into a config patch. Strict, so a typo in a chaos test
 * fails loudly instead of silently injecting nothing. `null` clears notifyUrl, failNext or
 * autoCompleteMs.
 */
export function parseConfigPatch(body: JsonObject): Partial<SimConfig> {
  const patch: Partial<SimConfig> = {};
  for (const key of Object.keys(body)) {
    if (!FIELDS.includes(key)) throw new ControlError(400, `unknown config field ${JSON.stringify(key)}`);
  }
  if (body.notifyUrl === null) patch.notifyUrl = undefined;
  else if (body.notifyUrl !== undefined) {
    if (typeof body.notifyUrl !== "string" || !URL.canParse(body.notifyUrl)) {
      throw new ControlError(400, "notifyUrl must be an absolute URL");
    }
    patch.notifyUrl = body.notifyUrl;
  }
  if (body.latencyMs !== undefined) patch.latencyMs = count(body.latencyMs, "latencyMs");
  if (body.resetConnections !== undefined)
    patch.resetConnections = count(body.resetConnections, "resetConnections");
  if (body.duplicateCallbacks !== undefined)
    patch.duplicateCallbacks = flag(body.duplicateCallbacks, "duplicateCallbacks");
  if (body.reorderCallbacks !== undefined)
    patch.reorderCallbacks = flag(body.reorderCallbacks, "reorderCallbacks");
  if (body.autoCompleteMs === null) patch.autoCompleteMs = undefined;
  else if (body.autoCompleteMs !== undefined)
    patch.autoCompleteMs = count(body.autoCompleteMs, "autoCompleteMs");
  if (body.idempotencyMode !== undefined) {
    if (body.idempotencyMode !== "reject" && body.idempotencyMode !== "replay") {
      throw new ControlError(400, 'idempotencyMode must be "reject" or "replay"');
    }
    patch.idempotencyMode = body.idempotencyMode;
  }
  if (body.failNext === null) patch.failNext = undefined;
  else if (body.failNext !== undefined) {
    const failNext = body.failNext;
    if (typeof failNext !== "object" || Array.isArray(failNext))
      throw new ControlError(400, "failNext must be an object");
    const errorCode = "error_code" in failNext ? failNext.error_code : "SERVER_ERROR";
    if (!isXenditErrorCode(errorCode)) {
      throw new ControlError(400, "failNext.error_code must be a Xendit error code the simulator knows");
    }
    patch.failNext = {
      count: count("count" in failNext ? failNext.count : 1, "failNext.count"),
      error_code: errorCode,
    };
  }
  return patch;
}
