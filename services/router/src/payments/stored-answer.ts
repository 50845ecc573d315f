import { decodeStatusDetails, encodeStatusDetails, GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";

/** A finished CreatePayment answer: the response bytes, or the error's google.rpc.Status bytes. */
export interface StoredAnswer {
  paymentId: string;
  /** 0 for success. */
  grpcCode: number;
  body: Uint8Array;
}

/**
 * Frames an answer for the idempotency store: 4-byte big-endian gRPC code, then the body. The
 * body is kept exactly as first sent so a replay is byte-identical.
 */
export function encodeStoredAnswer(answer: StoredAnswer): Uint8Array {
  const id = new TextEncoder().encode(answer.paymentId);
  const framed = new Uint8Array(5 + id.length + answer.body.length);
  const view = new DataView(framed.buffer);
  view.setUint32(0, answer.grpcCode);
  view.setUint8(4, id.length);
  framed.set(id, 5);
  framed.set(answer.body, 5 + id.length);
  return framed;
}

/** Reads a framed answer back; throws INTERNAL on bytes this router did not write. */
export function decodeStoredAnswer(bytes: Uint8Array): StoredAnswer {
  if (bytes.length < 5) throw new PaymeshError(ErrorReason.INTERNAL, "stored idempotent answer is truncated");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idLength = view.getUint8(4);
  return {
    grpcCode: view.getUint32(0),
    paymentId: new TextDecoder().decode(bytes.subarray(5, 5 + idLength)),
    body: bytes.subarray(5 + idLength),
  };
}

/** The stored form of an error answer. */
export function errorAnswer(paymentId: string, error: PaymeshError): StoredAnswer {
  return { paymentId, grpcCode: error.code, body: encodeStatusDetails(error) };
}

/** Replays an answer: success bytes are returned as they are; an error is thrown again. */
export function replayAnswer(answer: StoredAnswer): Uint8Array {
  if (answer.grpcCode === 0) return answer.body;
  throw (
    decodeStatusDetails(answer.grpcCode as GrpcCode, answer.body) ??
    new PaymeshError(ErrorReason.INTERNAL, "stored idempotent answer could not be read", {
      code: GrpcCode.INTERNAL,
    })
  );
}
