/**
 * Calls a simulator's `/sim/` control route the way tests do: `body`, when given, sent as JSON text
 * (the control API reads any body as JSON, so no content type is needed).
 */
export function callControl(
  simulatorUrl: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${simulatorUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
