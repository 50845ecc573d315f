import { afterAll, beforeAll, beforeEach } from "vitest";

/** A thing a test file starts once and closes after its last test: a server, a simulator, a proxy. */
export interface Fixture {
  /** Forgets what earlier tests did; called before each test when no other reset is given. */
  reset?(): void;
  close(): void | Promise<void>;
}

/**
 * Registers a file's lifecycle for one fixture: `start` before the first test, `reset` before each
 * so no test sees another's state, and `close` after the last. Returns a getter, because the
 * fixture only exists once the file's tests begin. Fixtures registered later close first (vitest
 * runs after-hooks in reverse), so an adapter closes before the simulator or proxy it calls.
 */
export function useFixture<T extends Fixture>(
  start: () => Promise<T>,
  reset: (fixture: T) => void | Promise<void> = (fixture) => fixture.reset?.(),
): () => T {
  let fixture: T | undefined;
  beforeAll(async () => {
    fixture = await start();
  });
  beforeEach(async () => {
    if (fixture !== undefined) await reset(fixture);
  });
  afterAll(async () => {
    await fixture?.close();
  });
  return () => {
    if (fixture === undefined) throw new Error("the fixture is read before it started (outside a test?)");
    return fixture;
  };
}
