import { ControlError } from "./control-error.ts";

/**
 * Turns one `POST /sim/config` field into its config value, or throws a 400 ControlError naming the
 * field. Never called for an absent field.
 */
export type ConfigField<T> = (value: unknown, name: string) => T;

/** The fields a simulator's config accepts, validated in the order they are listed. */
export type ConfigFields<C> = { readonly [K in keyof C]?: ConfigField<C[K]> };

/** A count or a duration in milliseconds: an integer, 0 or more. */
export function nonNegativeInteger(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ControlError(400, `${name} must be a non-negative integer`);
  }
  return value;
}

/** A switch: `true` or `false`, nothing truthy. */
export function trueOrFalse(value: unknown, name: string): boolean {
  if (typeof value !== "boolean") throw new ControlError(400, `${name} must be true or false`);
  return value;
}

/** An absolute URL, e.g. where notifications go. */
export function absoluteUrl(value: unknown, name: string): string {
  if (typeof value !== "string" || !URL.canParse(value)) {
    throw new ControlError(400, `${name} must be an absolute URL`);
  }
  return value;
}

/** A JSON object, e.g. a provider's `failNext` spec (its fields are the provider's own). */
export function jsonObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ControlError(400, `${name} must be an object`);
  }
  return value as Record<string, unknown>;
}

/** A field that `null` clears back to undefined (e.g. `"failNext": null` stops injecting errors). */
export function nullable<T>(parse: ConfigField<T>): ConfigField<T | undefined> {
  return (value, name) => (value === null ? undefined : parse(value, name));
}

/** What every simulator's config takes: where notifications go, latency and connection resets. */
export const baseConfigFields: ConfigFields<{
  notifyUrl: string | undefined;
  latencyMs: number;
  resetConnections: number;
}> = {
  notifyUrl: nullable(absoluteUrl),
  latencyMs: nonNegativeInteger,
  resetConnections: nonNegativeInteger,
};

/** The switches of simulators that can deliver callbacks twice or out of order. */
export const callbackOrderFields: ConfigFields<{ duplicateCallbacks: boolean; reorderCallbacks: boolean }> = {
  duplicateCallbacks: trueOrFalse,
  reorderCallbacks: trueOrFalse,
};

/**
 * Validates a `POST /sim/config` body into a config patch. Strict, so a typo in a chaos test fails
 * loudly (`unknown config field "failnext"`) instead of silently injecting nothing. Only the fields
 * present in `body` appear in the patch; a nullable field set to `null` appears as undefined.
 */
export function parseConfigPatch<C extends object>(
  body: Readonly<Record<string, unknown>>,
  fields: ConfigFields<C>,
): Partial<C> {
  for (const key of Object.keys(body)) {
    if (!Object.hasOwn(fields, key))
      throw new ControlError(400, `unknown config field ${JSON.stringify(key)}`);
  }
  const parsers = fields as Readonly<Record<string, ConfigField<unknown> | undefined>>;
  const patch: Record<string, unknown> = {};
  for (const name of Object.keys(parsers)) {
    const value = body[name];
    const parse = parsers[name];
    if (value !== undefined && parse !== undefined) patch[name] = parse(value, name);
  }
  return patch as Partial<C>;
}

/**
 * A `failNext` field: a JSON object whose `count` (default 1) says how many requests it hits, while
 * `parse` checks the rest, the provider's error (a SNAP responseCode, a Xendit error_code, …).
 * `null` clears it, so the simulator stops injecting errors.
 */
export function failNextField<F extends object>(
  parse: (spec: Readonly<Record<string, unknown>>) => F,
): ConfigField<(F & { count: number }) | undefined> {
  return nullable((value, name) => {
    const spec = jsonObject(value, name);
    const error = parse(spec);
    return { count: nonNegativeInteger(spec.count ?? 1, `${name}.count`), ...error };
  });
}
