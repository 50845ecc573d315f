import type { IncomingMessage, ServerResponse } from "node:http";
import { type ConfigFields, parseConfigPatch } from "./config-patch.ts";
import { ControlError, isControlError } from "./control-error.ts";
import { readBody, sendJson } from "./http-io.ts";

/**
 * One control route: returns the body of its HTTP 200 answer, or throws a ControlError. Everything
 * else it throws (a closing simulator, an unreadable body) is left to the server's last resort.
 */
export type ControlRoute = (request: IncomingMessage, url: URL) => unknown;

/** Control routes by `"METHOD /path"`, e.g. `"POST /sim/config"`. */
export type ControlRoutes = Readonly<Record<string, ControlRoute>>;

/**
 * Reads a control request's body as a JSON object. An empty body is `{}`, so `POST /sim/reset`
 * needs none; anything that is not a JSON object is a 400 ControlError.
 */
export async function readJsonObject(request: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = (await readBody(request)).toString("utf8");
  if (raw === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new ControlError(400, "body is not JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ControlError(400, "body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

/**
 * Answers one request of the `/sim/` control API: no authentication, test-only, never part of a real
 * provider. A route's result goes out as 200 JSON; a ControlError, or a route nobody serves (404),
 * as `{"error": "..."}`. Provider error shapes are for provider routes only.
 */
export async function handleControl(
  routes: ControlRoutes,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const name = `${request.method} ${url.pathname}`;
  try {
    const route = Object.hasOwn(routes, name) ? routes[name] : undefined;
    if (route === undefined) throw new ControlError(404, `no control route ${name}`);
    sendJson(response, 200, await route(request, url));
  } catch (error) {
    if (isControlError(error)) return sendJson(response, error.status, { error: error.message });
    throw error;
  }
}

/** What every simulator's control actions can do, whatever the provider. */
export interface BaseControlActions<C> {
  /** Applies a validated config patch; answers the whole config. */
  configure(patch: Partial<C>): unknown;
  /** The counters behind `GET /sim/stats`. */
  stats(): unknown;
  /** Forgets everything the simulator remembers and restores the starting config. */
  reset(): void;
}

/**
 * The control routes every simulator has, the same everywhere: `POST /sim/config` (validated against
 * `configFields`, answering the new config), `GET /sim/stats` and `POST /sim/reset`.
 */
export function baseControlRoutes<C extends object>(
  actions: BaseControlActions<C>,
  configFields: ConfigFields<C>,
): ControlRoutes {
  return {
    "POST /sim/config": async (request) =>
      actions.configure(parseConfigPatch(await readJsonObject(request), configFields)),
    "GET /sim/stats": () => actions.stats(),
    "POST /sim/reset": () => {
      actions.reset();
      return { reset: true };
    },
  };
}
