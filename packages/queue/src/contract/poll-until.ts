/**
 * Probes until `done` accepts the value or `timeoutMs` passes. Expiry tests poll instead of
 * sleeping a fixed time: a sleep long enough for a loaded CI machine makes every run slow, and one
 * short enough to be fast is flaky.
 */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
