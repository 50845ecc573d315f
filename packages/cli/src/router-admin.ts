import type { RouterHttpTarget } from "./cli-config.ts";
import { CliError } from "./cli-error.ts";
import { describeFetchError, HTTP_TIMEOUT_MS, parseMaybeJson } from "./http-json.ts";

/**
 * Calls the router's HTTP admin API as the target's caller and resolves to the parsed JSON answer
 * (the text as it came with `text: true`, for an export). `body` is sent as JSON; `timeoutMs`
 * bounds the whole exchange, answer included (default HTTP_TIMEOUT_MS). Every failure
 * becomes one CliError line an operator can act on: the router is not there (with a pointer to
 * `pnpm start`), the token was refused, or what the router said (`{"error": …}`).
 */
export async function callRouterAdmin(
  target: RouterHttpTarget,
  method: "GET" | "POST" | "DELETE",
  path: string,
  options: { body?: unknown; text?: boolean; timeoutMs?: number } = {},
): Promise<unknown> {
  const url = `${target.baseUrl}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${target.token}`,
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? HTTP_TIMEOUT_MS),
    });
  } catch (error) {
    throw new CliError(`${method} ${url} failed: ${describeFetchError(error)}`, {
      cause: error,
      hint: 'is the router running? start the stack with "./run pnpm start", or pass --router-http',
    });
  }
  const text = await response.text();
  if (response.ok && options.text === true) return text;
  const body = parseMaybeJson(text);
  if (response.ok) return body;
  const said = routerError(body);
  if (said === undefined) {
    const shown = oneLine(text.length > 300 ? `${text.slice(0, 300)}…` : text);
    throw new CliError(`${method} ${url} answered ${response.status}: ${shown}`);
  }
  if (response.status === 401) {
    throw new CliError(`the router refused the token (401): ${said}`, {
      hint: "pass a caller's token with --token or PAYMESH_TOKEN",
    });
  }
  const reason = (body as { reason?: unknown }).reason;
  // A Paymesh reason, where the API gives one, is what a script branches on: shown as on gRPC.
  const named = typeof reason === "string" && /^[A-Z_]+$/.test(reason) ? ` ${reason}` : "";
  throw new CliError(`the router answered ${response.status}${named}: ${said}`);
}

// The router's admin API answers failures as {"error": "…"}; anything else is quoted as it came.
function routerError(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  return typeof body.error === "string" ? oneLine(body.error) : undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
