import type { IncomingMessage, ServerResponse } from "node:http";
import type { ConnectError } from "@connectrpc/connect";
import { type Authenticator, createPublicErrors, GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { connectErrorOf, createConnectServing } from "@paymesh/connect-kit";
import { adminv1, ErrorReason } from "@paymesh/proto";
import { type Logger, logRpc } from "@paymesh/telemetry";
import type { RunService } from "./run-service.ts";

/** Options for {@link createRunConnect}. */
export interface RunConnectOptions {
  service: RunService;
  /** Operators' tokens, as on the gRPC port. */
  authenticate: Authenticator;
  log: Logger;
}

/** ReconciliationRunService in the Connect protocol, for the reconciler's HTTP server. */
export interface RunConnect {
  /** Answers a request to the service's path and returns true; false leaves it to the caller. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /**
   * Takes no more runs (UNAVAILABLE), waits up to graceMs for those in flight, then abandons them
   * (each rolls back whole and its caller is told UNAVAILABLE), and resolves when all have ended.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * Serves payments.admin.v1.ReconciliationRunService.RunReconciliation in the Connect protocol (JSON
 * or binary, server streaming), the same service and answers as the gRPC port (run-server.ts): the
 * operator is authenticated from the Authorization header before any work, a body that does not
 * decode is INVALID_ARGUMENT with ErrorInfo (an unknown caller's is UNAUTHENTICATED first), and a
 * caller that goes away abandons its run.
 */
export function createRunConnect(options: RunConnectOptions): RunConnect {
  const { service, authenticate, log } = options;
  const publicError = createPublicErrors({ log, service: "reconciler" });
  let closing = false;
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const finish = (caller: string, code: number, started: number) =>
    logRpc(log, "info", {
      method: "RunReconciliation",
      caller,
      code,
      durationMs: performance.now() - started,
      transport: "connect",
    });

  /**
   * The run's updates, for as long as its caller reads them. When Connect stops reading (the caller
   * went away) this generator is returned at a yield: the run is then aborted and followed to its
   * end (it rolls back), so a close() waiting on it knows the run is over, not just unwatched.
   */
  async function* run(operator: string, request: adminv1.RunReconciliationRequest, outer: AbortSignal) {
    const abandon = new AbortController();
    const updates = service.runReconciliation(
      operator,
      request,
      AbortSignal.any([outer, stopping.signal, abandon.signal]),
    );
    let done = false;
    try {
      for (let next = await updates.next(); !next.done; next = await updates.next()) yield next.value;
      done = true;
    } finally {
      if (!done) {
        abandon.abort();
        // The run ends as an abandoned one (CANCELLED): nobody is left to be told.
        await (async () => {
          while (!(await updates.next()).done);
        })().catch(() => {});
      }
    }
  }

  const serving = createConnectServing({
    routes(router) {
      router.service(adminv1.ReconciliationRunService, {
        async *runReconciliation(request, ctx) {
          const started = performance.now();
          let caller = "unauthenticated";
          // Still unset in `finally` when Connect returned this at a yield: the caller went away.
          let code: GrpcCode = GrpcCode.CANCELLED;
          let ended = () => {};
          const call = new Promise<void>((resolve) => {
            ended = resolve;
          });
          inFlight.add(call);
          try {
            caller = authenticate(ctx.requestHeader.get("authorization") ?? undefined);
            if (closing) throw shuttingDown("run it again on another reconciler, or once this one is back");
            yield* run(caller, request, ctx.signal);
            code = GrpcCode.OK;
          } catch (error) {
            const refusal = publicError(error, "RunReconciliation");
            code = refusal.code;
            throw connectErrorOf(refusal);
          } finally {
            finish(caller, code, started);
            inFlight.delete(call);
            ended();
          }
        },
      });
    },
    refuse(error, request) {
      const started = performance.now();
      let refusal: ConnectError;
      let caller = "unauthenticated";
      // As on gRPC: an unauthenticated caller learns nothing about its request.
      try {
        caller = authenticate(request.header.get("authorization") ?? undefined);
        refusal = connectErrorOf(error);
      } catch (unknown) {
        refusal = connectErrorOf(publicError(unknown, "RunReconciliation"));
      }
      finish(caller, refusal.code, started);
      return refusal;
    },
  });

  return {
    handle: serving,
    async close(graceMs = 5_000) {
      closing = true;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(inFlight),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
      stopping.abort(shuttingDown("the run was abandoned and rolled back; run it again"));
      await Promise.all(inFlight);
    },
  };
}

/** UNAVAILABLE: a caller may retry, elsewhere or later. */
function shuttingDown(advice: string): PaymeshError {
  return new PaymeshError(ErrorReason.UNSPECIFIED, `the reconciler is shutting down: ${advice}`, {
    code: GrpcCode.UNAVAILABLE,
  });
}
