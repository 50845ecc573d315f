import type { JsonRecord } from "../src/wise-json.ts";
import { ControlError } from "./sim-actions.ts";
import type { SimConfig } from "./sim-state.ts";

const KEYS = [
  "notifyUrl",
  "latencyMs",
  "failNext",
  "resetConnections",
  "duplicateCallbacks",
  "reorderCallbacks",
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

function parseFailNext(value: unknown): SimConfig["failNext"] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ControlError(400, "failNext must be an object");
  }
  const spec = value as Record<string, unknown>;
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
  return { count: count(spec.count ?? 1, "failNext.count"), status, code, endpoint };
}

/**
 * Validates a `POST /sim/config` body into a config patch. Strict, so a typo in a chaos test fails
 * loudly instead of silently injecting nothing. `null` clears notifyUrl or failNext.
 */
export function parseConfigPatch(body: JsonRecord): Partial<SimConfig> {
  const patch: Partial<SimConfig> = {};
  for (const key of Object.keys(body)) {
    if (!KEYS.includes(key)) throw new ControlError(400, `unknown config field ${JSON.stringify(key)}`);
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
  if (body.failNext === null) patch.failNext = undefined;
  else if (body.failNext !== undefined) patch.failNext = parseFailNext(body.failNext);
  return patch;
}
