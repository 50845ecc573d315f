import { create } from "@bufbuild/protobuf";
import { Server, ServerCredentials, type ServerWritableStream } from "@grpc/grpc-js";
import {
  type Authenticator,
  addReflection,
  callContext,
  createPublicErrors,
  decodeBinaryRequest,
  GrpcCode,
  shutdownServer,
  toGrpcServiceError,
  UndecodableRequest,
} from "@paymesh/adapter-kit";
import { adminv1, grpcServiceDefinition } from "@paymesh/proto";
import { type Logger, logRpc } from "@paymesh/telemetry";
import { HealthImplementation } from "grpc-health-check";
import type { RunService } from "./run-service.ts";

const SERVICE = adminv1.ReconciliationRunService;

/** Options for {@link startRunServer}. */
export interface RunServerOptions {
  service: RunService;
  /** Operators' tokens: who may run a day, and whose name the run's log lines carry. */
  authenticate: Authenticator;
  /** @default "127.0.0.1" */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
  log: Logger;
}

/** The reconciler's gRPC port. */
export interface RunningRunServer {
  /** "host:port". */
  address: string;
  /** Stops taking calls; a run in flight is abandoned after graceMs (it rolls back whole). */
  shutdown(graceMs?: number): Promise<void>;
}

/**
 * Serves payments.admin.v1.ReconciliationRunService on gRPC, with grpc.health.v1 and reflection.
 * The operator is authenticated from the call's metadata before any work; a request that does
 * not decode is INVALID_ARGUMENT (never grpc-js's INTERNAL). Progress messages are written with
 * backpressure, and a caller that goes away abandons its run.
 */
export async function startRunServer(options: RunServerOptions): Promise<RunningRunServer> {
  const { service, authenticate, log } = options;
  const publicError = createPublicErrors({ log, service: "reconciler" });
  const server = new Server();
  const definition = grpcServiceDefinition(SERVICE);
  for (const method of SERVICE.methods) {
    const entry = definition[method.localName];
    if (entry !== undefined)
      entry.requestDeserialize = (bytes: Buffer) => decodeBinaryRequest(method.input, bytes);
  }
  server.addService(definition, {
    runReconciliation: async (
      call: ServerWritableStream<adminv1.RunReconciliationRequest | UndecodableRequest, unknown>,
    ) => {
      const started = performance.now();
      let caller = call.getPeer();
      const finish = (code: GrpcCode) =>
        logRpc(log, "info", {
          method: "RunReconciliation",
          caller,
          code,
          durationMs: performance.now() - started,
          transport: "grpc",
        });
      const { signal } = callContext(call);
      try {
        const authorization = call.metadata.get("authorization")[0];
        caller = authenticate(typeof authorization === "string" ? authorization : undefined);
        if (call.request instanceof UndecodableRequest) throw call.request.error;
        for await (const update of service.runReconciliation(caller, call.request, signal)) {
          if (!call.write(create(adminv1.RunReconciliationResponseSchema, update))) {
            await drained(call, signal);
          }
        }
        finish(GrpcCode.OK);
        call.end();
      } catch (error) {
        const status = toGrpcServiceError(publicError(error, "RunReconciliation"));
        finish(status.code);
        // grpc-js sends a server stream's status from an "error" event; destroy() would leave the client waiting.
        call.emit("error", Object.assign(new Error("RunReconciliation failed"), status));
      }
    },
  });
  const health = new HealthImplementation({ "": "SERVING", [SERVICE.typeName]: "SERVING" });
  health.addToServer(server);
  addReflection(server, [SERVICE]);
  const host = options.host ?? "127.0.0.1";
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  return {
    address: `${host}:${port}`,
    shutdown: (graceMs = 5_000) => {
      health.setStatus("", "NOT_SERVING");
      health.setStatus(SERVICE.typeName, "NOT_SERVING");
      return shutdownServer(server, graceMs);
    },
  };
}

/** Resolves when the stream can take more, or when the caller goes away. */
function drained(call: ServerWritableStream<unknown, unknown>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off("drain", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    call.once("drain", done);
    signal.addEventListener("abort", done, { once: true });
  });
}
