import { credentials, loadPackageDefinition, Metadata, type ServiceError } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { repoRoot } from "./start-process.ts";

/** A payment as proto-loader decodes it (enums as names, int64 as strings). */
export interface PlainPayment {
  id: string;
  status: string;
  amount: { currency: string; minorUnits: string };
  customerAction?: { qris?: { qrString: string } };
  providerReference: string;
  adapter: string;
  failure?: { reason: string; providerCode: string };
  outcomeUnknown: boolean;
}

type Callback = (error: ServiceError | null, response: unknown) => void;
type UnaryMethod = (
  request: unknown,
  metadata: Metadata,
  options: { deadline: Date },
  callback: Callback,
) => void;

/**
 * A PaymentService client exactly as another team would build one: plain @grpc/grpc-js with the
 * .proto files loaded by @grpc/proto-loader — none of Paymesh's own client code.
 */
export function plainPaymentClient(address: string, token: string | undefined) {
  const definition = loadSync("payments/v1/payment_service.proto", {
    includeDirs: [`${repoRoot}proto`],
    enums: String,
    longs: String,
    defaults: true,
    oneofs: true,
  });
  const loaded = loadPackageDefinition(definition) as unknown as {
    payments: {
      v1: {
        PaymentService: new (
          address: string,
          creds: ReturnType<typeof credentials.createInsecure>,
        ) => Record<string, UnaryMethod> & { close(): void };
      };
    };
  };
  const client = new loaded.payments.v1.PaymentService(address, credentials.createInsecure());
  /** `options.token` null sends no authorization at all; the deadline defaults to 10 s. */
  const call = <T>(
    method: string,
    request: unknown,
    options: { token?: string | null; deadlineMs?: number } = {},
  ): Promise<T> =>
    new Promise((resolve, reject) => {
      const metadata = new Metadata();
      const metadataToken = options.token === undefined ? token : options.token;
      if (metadataToken !== undefined && metadataToken !== null) {
        metadata.set("authorization", `Bearer ${metadataToken}`);
      }
      const fn = client[method];
      if (fn === undefined) throw new Error(`no method ${method}`);
      fn.call(
        client,
        request,
        metadata,
        { deadline: new Date(Date.now() + (options.deadlineMs ?? 10_000)) },
        (error, response) => (error ? reject(error) : resolve(response as T)),
      );
    });
  /** A server-streaming call; resolves with every message once the server ends the stream. */
  const stream = <T>(method: string, request: unknown, onMessage?: (message: T) => void): Promise<T[]> =>
    new Promise((resolve, reject) => {
      const metadata = new Metadata();
      if (token !== undefined) metadata.set("authorization", `Bearer ${token}`);
      const fn = client[method] as unknown as (
        request: unknown,
        metadata: Metadata,
        options: { deadline: Date },
      ) => NodeJS.EventEmitter;
      const messages: T[] = [];
      const call = fn.call(client, request, metadata, { deadline: new Date(Date.now() + 15_000) });
      call.on("data", (message: T) => {
        messages.push(message);
        onMessage?.(message);
      });
      call.on("error", reject);
      call.on("end", () => resolve(messages));
    });
  return { call, stream, close: () => client.close() };
}
