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
  /** `metadataToken` null sends no authorization at all. */
  const call = <T>(
    method: string,
    request: unknown,
    metadataToken: string | null | undefined = token,
  ): Promise<T> =>
    new Promise((resolve, reject) => {
      const metadata = new Metadata();
      if (metadataToken !== undefined && metadataToken !== null)
        metadata.set("authorization", `Bearer ${metadataToken}`);
      const fn = client[method];
      if (fn === undefined) throw new Error(`no method ${method}`);
      fn.call(client, request, metadata, { deadline: new Date(Date.now() + 10_000) }, (error, response) =>
        error ? reject(error) : resolve(response as T),
      );
    });
  return { call, close: () => client.close() };
}
