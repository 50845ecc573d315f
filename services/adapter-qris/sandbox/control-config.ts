import type { JsonObject } from "./body-fields.ts";
import { ControlError } from "./sim-actions.ts";
import type { SimConfig } from "./sim-state.ts";

function count(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ControlError(400, `${name} must be a non-negative integer`);
  }
  return value;
}

/**
 * Validates a `POST /sim/config` body into a config patch. Strict, so a typo in a chaos test
 * fails loudly instead of silently injecting nothing. `null` clears notifyUrl or failNext.
 */
export function parseConfigPatch(body: JsonObject): Partial<SimConfig> {
  const patch: Partial<SimConfig> = {};
  for (const key of Object.keys(body)) {
    if (!["notifyUrl", "latencyMs", "failNext", "resetConnections"].includes(key)) {
      throw new ControlError(400, `unknown config field ${JSON.stringify(key)}`);
    }
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
  if (body.failNext === null) patch.failNext = undefined;
  else if (body.failNext !== undefined) {
    const failNext = body.failNext;
    if (typeof failNext !== "object" || Array.isArray(failNext))
      throw new ControlError(400, "failNext must be an object");
    const responseCode = "responseCode" in failNext ? failNext.responseCode : "5000000";
    if (typeof responseCode !== "string" || !/^[1-5]\d{6}$/.test(responseCode)) {
      throw new ControlError(400, "failNext.responseCode must be a 7-digit SNAP response code");
    }
    const n = count("count" in failNext ? failNext.count : 1, "failNext.count");
    patch.failNext = { count: n, responseCode };
  }
  return patch;
}
