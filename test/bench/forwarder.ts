// A bare grpc-js pass-through proxy for one unary method: bytes in, bytes out, no decoding. The
// benchmark's floor for "one extra Node hop", against which the router's overhead is measured.
import {
  Client,
  credentials,
  type Metadata,
  Server,
  ServerCredentials,
  type ServiceError,
} from "@grpc/grpc-js";

const target = process.env.FORWARD_TO;
if (target === undefined) throw new Error("FORWARD_TO (host:port) is required");
const path = process.env.FORWARD_PATH ?? "/payments.adapter.v1.ProviderAdapter/CreatePayment";
const identity = (bytes: Buffer): Buffer => bytes;
const upstream = new Client(target, credentials.createInsecure());
const server = new Server();
server.addService(
  {
    forward: {
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  },
  {
    forward: (
      call: { request: Buffer; metadata: Metadata; getDeadline(): Date | number },
      callback: (error: ServiceError | null, value?: Buffer) => void,
    ) => {
      upstream.makeUnaryRequest(
        path,
        identity,
        identity,
        call.request,
        call.metadata,
        { deadline: call.getDeadline() },
        callback,
      );
    },
  },
);
const port = await new Promise<number>((resolve, reject) =>
  server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
    error ? reject(error) : resolve(bound),
  ),
);
process.stdout.write(`${JSON.stringify({ service: "forwarder", address: `127.0.0.1:${port}` })}\n`);
process.once("SIGTERM", () => server.tryShutdown(() => process.exit(0)));
