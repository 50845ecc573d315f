import type { ServerResponse } from "node:http";
import { withTimeout } from "./metrics-scrape.ts";

/** One dependency a process needs to do its work, and a cheap way to ask whether it answers. */
export interface ReadinessCheck {
  /** Named in the 503 body: "store", "idempotency", "queue". */
  name: string;
  check: () => Promise<unknown>;
}

/** Whether the process can take work now, and what is down when it cannot. */
export interface Readiness {
  ready: boolean;
  /** The names of the checks that failed or did not answer in time. */
  down: string[];
}

/** Runs every check at once, each bounded by `timeoutMs`: a hung backend counts as down. */
export async function checkReadiness(
  checks: readonly ReadinessCheck[],
  timeoutMs = 1_000,
): Promise<Readiness> {
  const results = await Promise.allSettled(
    checks.map((check) => withTimeout(Promise.resolve().then(check.check), timeoutMs)),
  );
  const down = checks.filter((_, index) => results[index]?.status === "rejected").map((check) => check.name);
  return { ready: down.length === 0, down };
}

/**
 * Answers the orchestrator's probes: `/healthz` is 200 while the process can answer at all (a
 * restart would not help otherwise); `/readyz` is 200 when `readiness` says so, else 503 with a
 * JSON body naming what is down. Returns false for any other path, for the caller to route.
 */
export function answerHealth(
  path: string,
  readiness: () => Promise<Readiness>,
  res: ServerResponse,
): boolean {
  if (path === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: "alive" }));
    return true;
  }
  if (path !== "/readyz") return false;
  readiness().then(
    ({ ready, down }) => {
      res.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify(ready ? { status: "ready" } : { status: "not ready", down }));
    },
    () => {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "not ready", down: ["readiness check"] }));
    },
  );
  return true;
}
