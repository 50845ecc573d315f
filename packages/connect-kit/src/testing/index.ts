import { fromBinary } from "@bufbuild/protobuf";
import { base64Decode } from "@bufbuild/protobuf/wire";
import { encodeEnvelope } from "@connectrpc/connect/protocol";
import { ErrorInfoSchema } from "@paymesh/proto";

// The Connect streaming protocol's framing, for tests that send and read raw bytes: each message
// is an envelope of a flags byte (1: compressed, 2: the end of a response stream), a 32-bit
// big-endian length and the message.

/** One envelope holding `message` (a string is sent as its UTF-8 bytes). */
export function envelope(message: Uint8Array | string, flags = 0): Uint8Array {
  return encodeEnvelope(flags, typeof message === "string" ? new TextEncoder().encode(message) : message);
}

/** The envelopes of a streaming answer, in order; a trailing part too short to be one is dropped. */
export function readEnvelopes(bytes: Uint8Array): Array<{ flags: number; data: Uint8Array }> {
  const envelopes: Array<{ flags: number; data: Uint8Array }> = [];
  for (let at = 0; at + 5 <= bytes.length; ) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + at + 1, 4).getUint32(0);
    envelopes.push({ flags: bytes[at] ?? 0, data: bytes.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return envelopes;
}

/** A Connect error as it is on the wire: its code's name, its message and its ErrorInfo if any. */
export interface WireError {
  /** As Connect writes it: "invalid_argument", "unauthenticated", … */
  code: string;
  message: string;
  info?: { reason: string; domain: string; metadata: Record<string, string> };
}

/** The error JSON of a unary answer's body or of an end-of-stream envelope's `error`. */
export function readWireError(json: unknown): WireError {
  const error = json as { code: string; message?: string; details?: Array<{ type: string; value: string }> };
  const detail = error.details?.find((candidate) => candidate.type === "google.rpc.ErrorInfo");
  const info = detail === undefined ? undefined : fromBinary(ErrorInfoSchema, base64Decode(detail.value));
  return {
    code: error.code,
    message: error.message ?? "",
    ...(info === undefined
      ? {}
      : { info: { reason: info.reason, domain: info.domain, metadata: { ...info.metadata } } }),
  };
}

/** The error an end-of-stream envelope carries, if the stream ended with one. */
export function streamError(envelopes: Array<{ flags: number; data: Uint8Array }>): WireError | undefined {
  const end = envelopes.find((candidate) => (candidate.flags & 0b10) !== 0);
  if (end === undefined) return undefined;
  const { error } = JSON.parse(new TextDecoder().decode(end.data)) as { error?: unknown };
  return error === undefined ? undefined : readWireError(error);
}
