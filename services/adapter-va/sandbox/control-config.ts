import { ControlError } from "./sim-actions.ts";
import type { SimConfig } from "./sim-state.ts";

const FIELDS = [
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

/**
 * Validates a `POST /sim/config` body into a config patch. Strict, so a typo in a chaos test fails
 * loudly instead of silently injecting nothing. `null` clears notifyUrl or failNext.
 */
export function parseConfigPatch(body: Record<string, unknown>): Partial<SimConfig> {
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
  if (body.failNext === null) patch.failNext = undefined;
  else if (body.failNext !== undefined) patch.failNext = parseFailNext(body.failNext);
  return patch;
}

function parseFailNext(value: unknown): SimConfig["failNext"] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ControlError(400, "failNext must be an object");
  }
  const failNext = value as Record<string, unknown>;
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
    count: count(failNext.count ?? 1, "failNext.count"),
    statusCode,
    ...(typeof httpStatus === "number" ? { httpStatus } : {}),
  };
}
