import { type MessageInitShape, toJson } from "@bufbuild/protobuf";
import { createGrpcClient, GrpcCode, isPaymeshError } from "@paymesh/adapter-kit";
import { type CreatePaymentRequestSchema, type Payment, PaymentSchema, PaymentService } from "@paymesh/proto";
import type { RouterTarget } from "./cli-config.ts";
import { CliError } from "./cli-error.ts";

/**
 * Longest a CLI call waits for the router. Above the router's own 15 s adapter timeout, so a slow
 * provider surfaces as the router's answer rather than as the CLI giving up first.
 */
export const CALL_TIMEOUT_MS = 30_000;

/** A PaymentService client as createGrpcClient builds it. */
export type PaymentClient = ReturnType<typeof openPaymentClient>;

/**
 * Runs `work` with a PaymentService client on one channel to the router, authenticated as the
 * target's caller, and closes the channel afterwards so the process can exit.
 */
export async function withPaymentClient<T>(
  target: RouterTarget,
  work: (client: PaymentClient, deadline: Date) => Promise<T>,
): Promise<T> {
  const client = openPaymentClient(target);
  try {
    return await work(client, new Date(Date.now() + CALL_TIMEOUT_MS));
  } catch (error) {
    throw explainUnreachable(error, target.address);
  } finally {
    client.close();
  }
}

function openPaymentClient(target: RouterTarget) {
  return createGrpcClient(PaymentService, target.address, {
    metadata: { authorization: `Bearer ${target.token}` },
  });
}

/** What `pay <method>` sends: a CreatePaymentRequest as protobuf-es builds it. */
export type CreatePaymentInit = MessageInitShape<typeof CreatePaymentRequestSchema>;

/** CreatePayment through the router, as any internal service calls it; resolves to the Payment. */
export async function createPayment(target: RouterTarget, request: CreatePaymentInit): Promise<Payment> {
  const payment = await withPaymentClient(
    target,
    async (client, deadline) => (await client.createPayment(request, { deadline })).payment,
  );
  if (payment === undefined) throw new Error("router answered CreatePayment without a payment");
  return payment;
}

/** GetPayment through the router; resolves to the Payment. */
export async function getPayment(target: RouterTarget, paymentId: string): Promise<Payment> {
  const payment = await withPaymentClient(
    target,
    async (client, deadline) => (await client.getPayment({ paymentId }, { deadline })).payment,
  );
  if (payment === undefined) throw new Error("router answered GetPayment without a payment");
  return payment;
}

/** CancelPayment through the router; resolves to the Payment as it is after the cancel. */
export async function cancelPayment(
  target: RouterTarget,
  paymentId: string,
  reason: string,
): Promise<Payment> {
  const payment = await withPaymentClient(
    target,
    async (client, deadline) => (await client.cancelPayment({ paymentId, reason }, { deadline })).payment,
  );
  if (payment === undefined) throw new Error("router answered CancelPayment without a payment");
  return payment;
}

/** The Payment in proto3 JSON, the same shape the router's Connect/JSON endpoint returns. */
export function paymentJson(payment: Payment): string {
  return JSON.stringify(paymentObject(payment), null, 2);
}

/** The Payment as the proto3 JSON value, to put inside a larger JSON document. */
export function paymentObject(payment: Payment): unknown {
  return toJson(PaymentSchema, payment);
}

/**
 * A call that never reached the router is not the router's answer: the client library labels it
 * UNAVAILABLE ADAPTER_UNAVAILABLE, which would send an operator looking at the adapters. It is
 * almost always "the local stack is not running", so the line says that instead.
 */
function explainUnreachable(error: unknown, address: string): unknown {
  if (!isPaymeshError(error) || error.code !== GrpcCode.UNAVAILABLE) return error;
  // grpc-js's own words for a channel that never connected; the router words its errors otherwise.
  if (!/^(No connection established|Name resolution failed)/.test(error.message)) return error;
  const cause = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|Name resolution failed/.exec(error.message);
  return new CliError(
    `the router at ${address} is not reachable (${cause?.[0] ?? "no connection"}); is the stack up? ` +
      'start it with "./run pnpm start", or pass --router',
    { cause: error },
  );
}
