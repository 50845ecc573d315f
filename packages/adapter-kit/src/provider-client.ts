import {
  createHttpRetryPolicy,
  type HttpResponseLike,
  type HttpRetryEvent,
  type HttpRetryJudgement,
} from "@paymesh/resilience";
import type { Metrics } from "@paymesh/telemetry";
import { providerCallHistogram } from "./adapter-metrics.ts";
import type { HttpExchange } from "./http-exchange.ts";
import type { Masker } from "./masker.ts";
import { createProviderHttp, type ProviderHttpAnswer } from "./provider-http.ts";
import { isProviderTransportError, ProviderTransportError } from "./provider-transport-error.ts";

/**
 * What a call may repeat, the adapter's one rule per operation:
 * - `read`: changes nothing at the provider, so it is repeated after a 429/5xx and after any lost
 *   answer.
 * - `keyed`: acts under a provider-side idempotency key derived from the payment id, so a repeat
 *   cannot act twice: repeated after a 429/5xx unless the answer shows the provider acted, and after
 *   a transport error only when the request provably never left. A lost answer after sending is the
 *   router's status resolver's to settle, never guessed here.
 * - `once`: never repeated (an operation with no idempotency key at the provider).
 */
export type RepeatRule = "read" | "keyed" | "once";

/** What the retry decision reads from one answer: the status the provider means, and whether it acted. */
export interface AttemptReading {
  /** Usually the HTTP status; a provider that carries its real status in the body says so here. */
  status: number;
  /** The body proves the provider acted (names a created object, says the key is taken). */
  acted: boolean;
}

/** Backoff of the client's retries; what is retried is the rule table's, not configuration. */
export interface ProviderRetryOptions {
  /** Calls in total, the first included; 1 turns retrying off. @default 3 */
  maxAttempts?: number;
  /** @default 100 */
  initialDelayMs?: number;
  /** Cap on any wait, a Retry-After included. @default 2000 */
  maxDelayMs?: number;
  onEvent?: (event: HttpRetryEvent) => void;
}

/** How an adapter talks to its provider; {@link createProviderClient}. */
export interface ProviderClientOptions<Operation extends string> {
  /** The provider's name in messages and retry events, e.g. "Midtrans". */
  provider: string;
  /** The adapter's service name, as metrics label its calls, e.g. "adapter-va". @default "unknown" */
  adapter?: string;
  /** Where each round trip's latency and outcome are recorded. @default the process's registry */
  metrics?: Metrics;
  /** Scheme, host and any path prefix; parsed at creation so a bad URL fails at startup. */
  baseUrl: string;
  /** Every operation's {@link RepeatRule}: the one table of what may be repeated, and why. */
  rules: Readonly<Record<Operation, RepeatRule>>;
  /** Reads an answer for the retry decision. @default the HTTP status; nothing proves the provider acted */
  readAttempt?: (answer: ProviderHttpAnswer<Operation>) => AttemptReading;
  /** Applied to both bodies of every recorded round trip (account numbers, names). @default none */
  masker?: Pick<Masker, "maskBody">;
  /** Per round trip, answer body included. @default 10000 */
  timeoutMs?: number;
  retry?: ProviderRetryOptions;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Stamps each exchange. @default () => new Date() */
  clock?: () => Date;
}

/**
 * The settings an adapter's client options pass through to {@link createProviderClient} unchanged;
 * {@link connectionOptions} picks them out of the adapter's options, credentials left behind.
 */
export type ProviderConnectionOptions = Pick<
  ProviderClientOptions<string>,
  "baseUrl" | "timeoutMs" | "retry" | "fetch" | "clock"
>;

/** The {@link ProviderConnectionOptions} of an adapter's client options, the ones not given left out. */
export function connectionOptions(options: ProviderConnectionOptions): ProviderConnectionOptions {
  const { baseUrl, timeoutMs, retry, fetch, clock } = options;
  return {
    baseUrl,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(retry === undefined ? {} : { retry }),
    ...(fetch === undefined ? {} : { fetch }),
    ...(clock === undefined ? {} : { clock }),
  };
}

/** One call to send. Each attempt is built afresh, so a signature or request id is never reused. */
export interface ProviderRequest<Operation extends string> {
  operation: Operation;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Appended to the base URL, query included. */
  path: string;
  /** Headers of one attempt (auth, signatures, timestamps); called once per attempt. */
  headers: (attempt: number) => Record<string, string> | Promise<Record<string, string>>;
  /** Exactly the bytes to send; absent sends none. */
  body?: string | undefined;
  /** The caller's signal: a caller that gave up stops the call, backoffs included. */
  signal?: AbortSignal | undefined;
  /** Round trips this call already made (a token fetch), kept first in the trail. @default [] */
  earlier?: readonly HttpExchange<Operation>[] | undefined;
}

/** The provider's last answer, whatever its status, with every round trip of the call. */
export interface ProviderAnswer<Operation extends string> extends ProviderHttpAnswer<Operation> {
  /** Every round trip of the call in order, earlier ones and retried attempts included; masked. */
  exchanges: HttpExchange<Operation>[];
}

/** What {@link createProviderClient} returns. */
export interface ProviderClient<Operation extends string> {
  readonly provider: string;
  /** The normalised base URL (no trailing slash), for adapters that sign full URLs. */
  readonly baseUrl: string;
  /**
   * Sends a call under the rule table's retries and returns the last answer for the adapter to
   * read. Throws a {@link ProviderTransportError} carrying every round trip when no usable answer
   * arrived: `sent` false only when the request provably never left.
   */
  call(request: ProviderRequest<Operation>): Promise<ProviderAnswer<Operation>>;
}

/**
 * The one way an adapter talks HTTP to its provider: timeouts, the exchange trail recorded and
 * masked once, and retries run by cockatiel (`@paymesh/resilience`) from the adapter's rule table.
 * What stays the adapter's: its endpoints, headers and signatures, and how it reads an answer.
 */
export function createProviderClient<Operation extends string>(
  options: ProviderClientOptions<Operation>,
): ProviderClient<Operation> {
  const { provider, rules } = options;
  const adapter = options.adapter ?? "unknown";
  const calls = providerCallHistogram(options.metrics);
  const http = createProviderHttp<Operation>({
    onRoundTrip: ({ operation, outcome, durationMs }) =>
      calls.observe({ adapter, operation, outcome }, durationMs / 1000),
    baseUrl: options.baseUrl,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.masker === undefined ? {} : { maskBody: options.masker.maskBody }),
  });
  const readAttempt = options.readAttempt ?? ((answer) => ({ status: answer.status, acted: false }));
  // One policy for the client's life; each call brings its operation's judgement.
  const policy = createHttpRetryPolicy({ name: provider.toLowerCase(), ...options.retry });

  async function call(request: ProviderRequest<Operation>): Promise<ProviderAnswer<Operation>> {
    const { operation, signal } = request;
    const trail: HttpExchange<Operation>[] = [...(request.earlier ?? [])];
    let attempts = 0;
    const attempt = async (attemptSignal: AbortSignal | undefined): Promise<Attempt<Operation>> => {
      attempts += 1;
      try {
        const answer = await http.send({
          operation,
          method: request.method,
          path: request.path,
          headers: await request.headers(attempts),
          body: request.body,
          signal: attemptSignal,
          earlier: [...trail],
        });
        trail.push(answer.exchange);
        return { ...readAttempt(answer), headers: answer.headers, answer };
      } catch (error) {
        if (isProviderTransportError(error)) trail.push(error.exchange as HttpExchange<Operation>);
        throw error;
      }
    };
    // A caller that gave up already gets the round trip's own "aborted before sending" (sent: false).
    const { answer } =
      signal?.aborted === true
        ? await attempt(signal)
        : await policy.execute(attempt, {
            ...judgement(rules[operation]),
            ...(signal === undefined ? {} : { signal }),
          });
    return { ...answer, exchanges: trail };
  }

  return { provider, baseUrl: http.baseUrl, call };
}

/** One attempt as the retry policy sees it. */
interface Attempt<Operation extends string> extends HttpResponseLike, AttemptReading {
  answer: ProviderHttpAnswer<Operation>;
}

/** The retry judgement of one rule. */
function judgement(rule: RepeatRule): HttpRetryJudgement {
  return {
    provedActed: (response) =>
      rule === "once" || (rule === "keyed" && "acted" in response && response.acted === true),
    isSafeToRetryError: (error) =>
      isProviderTransportError(error) && rule !== "once" && (rule === "read" || !error.sent),
  };
}
