/**
 * A backend read for scrape-time gauges: at most one in flight, its answer shared by every gauge
 * of the same scrape (prom-client collects gauges in parallel), and bounded by `timeoutMs` so a
 * backend that hangs cannot hang the scrape. A read that fails or times out resolves undefined:
 * the gauges keep their last values, and readiness (/readyz) is where the outage shows.
 */
export function scrapeRead<T>(read: () => Promise<T>, timeoutMs = 1_000): () => Promise<T | undefined> {
  let current: Promise<T | undefined> | undefined;
  return () => {
    current ??= withTimeout(read(), timeoutMs)
      .catch(() => undefined)
      .finally(() => {
        current = undefined;
      });
    return current;
  };
}

/** The promise's value, or a rejection once `timeoutMs` passed first. */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
