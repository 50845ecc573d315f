/**
 * Polls `check` until it returns something other than undefined, and returns that. A check that
 * throws counts as "not yet" (a service still starting refuses connections); its last error is
 * in the timeout message, which names `what` was awaited. Polling starts fast for in-process state
 * and slows to 50 ms so a check against another process does not hammer it.
 *
 * Tests poll rather than sleep: a sleep long enough for a loaded machine makes every run slow, and
 * one short enough to be fast is flaky.
 */
export async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
  what = "the condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let intervalMs = 5;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    intervalMs = Math.min(intervalMs * 2, 50);
  }
}
