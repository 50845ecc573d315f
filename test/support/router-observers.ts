import { Client, credentials, Metadata } from "@grpc/grpc-js";

/** grpc.health.v1 HealthCheckResponse.ServingStatus, by wire number. */
const SERVING_STATUS = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"] as const;
export type ServingStatus = (typeof SERVING_STATUS)[number];

/**
 * Asks the router's grpc.health.v1 Check about one service, with identity serializers: the bytes
 * any language's health prober sends (HealthCheckRequest{service} = field 1, a string) and reads
 * (HealthCheckResponse{status} = field 1, a varint; absent means UNKNOWN). Rejects as grpc-js does,
 * e.g. NOT_FOUND for a service the router has not registered yet.
 */
export function healthStatus(routerGrpc: string, service: string): Promise<ServingStatus> {
  const name = Buffer.from(service, "utf8");
  if (name.length > 127) throw new Error("service name too long for a one-byte length");
  const request = Buffer.concat([Buffer.from([0x0a, name.length]), name]);
  const raw = new Client(routerGrpc, credentials.createInsecure());
  const identity = (bytes: Buffer): Buffer => bytes;
  return new Promise((resolve, reject) =>
    raw.makeUnaryRequest(
      "/grpc.health.v1.Health/Check",
      identity,
      identity,
      request,
      new Metadata(),
      { deadline: new Date(Date.now() + 2_000) },
      (error, response) => {
        raw.close();
        if (error || response === undefined) return reject(error ?? new Error("no response"));
        if (response.length === 0) return resolve("UNKNOWN");
        const status = response[0] === 0x08 ? SERVING_STATUS[response[1] ?? -1] : undefined;
        if (status === undefined || response.length !== 2)
          return reject(new Error(`unexpected HealthCheckResponse bytes ${response.toString("hex")}`));
        resolve(status);
      },
    ),
  );
}

/** One adapter as `GET /admin/adapters` reports it (services/router/src/adapter-monitor.ts). */
export interface AdminAdapter {
  name: string;
  address: string;
  breaker: "closed" | "open" | "half-open" | "isolated";
  reachable?: boolean;
  lastError?: string;
}

/** The router's operator view of its adapters, authenticated like any caller. */
export async function adminAdapters(routerHttp: string, token: string): Promise<AdminAdapter[]> {
  const response = await fetch(`${routerHttp}/admin/adapters`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`/admin/adapters answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { adapters: AdminAdapter[] }).adapters;
}

/** The breaker state `GET /admin/adapters` reports for one adapter. */
export async function breakerState(
  routerHttp: string,
  token: string,
  adapter: string,
): Promise<AdminAdapter["breaker"]> {
  const found = (await adminAdapters(routerHttp, token)).find((entry) => entry.name === adapter);
  if (found === undefined) throw new Error(`/admin/adapters does not list ${adapter}`);
  return found.breaker;
}
