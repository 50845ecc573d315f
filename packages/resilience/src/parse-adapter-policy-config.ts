import {
  type AdapterPolicyConfig,
  type AdapterPolicyConfigInput,
  resolveAdapterPolicyConfig,
} from "./adapter-policy-config.ts";

/** The settings a config file may name, section by section; anything else is a typo worth failing on. */
const SECTIONS = {
  retry: ["maxAttempts", "initialDelayMs", "maxDelayMs"],
  breaker: ["threshold", "durationMs", "minimumRps", "halfOpenAfterMs"],
  bulkhead: ["limit", "queue"],
} as const;

type Section = keyof typeof SECTIONS;

/**
 * Validates an adapter policy object read from JSON (`path` names where it sits, e.g.
 * "adapters.qris.policy") and resolves it with the defaults. Throws an Error naming the first bad field:
 * an unknown key, a non-number, or a value out of range. `undefined` means "all defaults".
 */
export function parseAdapterPolicyConfig(json: unknown, path: string): AdapterPolicyConfig {
  if (json === undefined) return resolveAdapterPolicyConfig({}, path);
  const root = asObject(json, path);
  const input: AdapterPolicyConfigInput = {};
  for (const [key, value] of Object.entries(root)) {
    const field = `${path}.${key}`;
    if (key === "timeoutMs") {
      input.timeoutMs = asNumber(value, field);
    } else if (isSection(key)) {
      input[key] = parseSection(key, value, field);
    } else {
      throw new TypeError(
        `${field} is not a policy setting (expected timeoutMs, retry, breaker or bulkhead)`,
      );
    }
  }
  return resolveAdapterPolicyConfig(input, path);
}

function parseSection(section: Section, json: unknown, path: string): Record<string, number> {
  const names: readonly string[] = SECTIONS[section];
  const parsed: Record<string, number> = {};
  for (const [key, value] of Object.entries(asObject(json, path))) {
    if (!names.includes(key)) {
      throw new TypeError(`${path}.${key} is not a ${section} setting (expected ${names.join(", ")})`);
    }
    parsed[key] = asNumber(value, `${path}.${key}`);
  }
  return parsed;
}

function isSection(key: string): key is Section {
  return Object.hasOwn(SECTIONS, key);
}

function asObject(json: unknown, path: string): Record<string, unknown> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new TypeError(`${path} must be an object, got ${describe(json)}`);
  }
  return json as Record<string, unknown>;
}

function asNumber(json: unknown, path: string): number {
  if (typeof json !== "number") throw new TypeError(`${path} must be a number, got ${describe(json)}`);
  return json;
}

function describe(json: unknown): string {
  if (json === null) return "null";
  if (Array.isArray(json)) return "an array";
  return typeof json === "string" ? `the string ${JSON.stringify(json)}` : typeof json;
}
