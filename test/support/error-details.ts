import type { Metadata, ServiceError } from "@grpc/grpc-js";

/** google.rpc.ErrorInfo as read from the wire. */
export interface WireErrorInfo {
  reason: string;
  domain: string;
  metadata: Record<string, string>;
}

/**
 * Reads google.rpc.ErrorInfo out of a grpc-status-details-bin trailer with a hand-rolled
 * protobuf wire reader, independent of the project's generated code: this checks the bytes any
 * other language's client would see. (Status: 1 code, 2 message, 3 details Any; Any: 1 type_url,
 * 2 value; ErrorInfo: 1 reason, 2 domain, 3 map entries of 1 key / 2 value.)
 */
export function errorInfoFromMetadata(metadata: Metadata | undefined): WireErrorInfo | undefined {
  const raw = metadata?.get("grpc-status-details-bin")[0];
  if (!(raw instanceof Buffer)) return undefined;
  for (const detail of fields(raw).filter((field) => field.number === 3)) {
    const packed = fields(detail.bytes); // a google.protobuf.Any: 1 type_url, 2 value
    const typeUrl = packed.find((field) => field.number === 1)?.bytes.toString("utf8") ?? "";
    if (!typeUrl.endsWith("/google.rpc.ErrorInfo")) continue;
    const info = fields(packed.find((field) => field.number === 2)?.bytes ?? Buffer.alloc(0));
    const metadataEntries: Record<string, string> = {};
    for (const entry of info.filter((field) => field.number === 3)) {
      const kv = fields(entry.bytes);
      metadataEntries[kv.find((f) => f.number === 1)?.bytes.toString("utf8") ?? ""] =
        kv.find((f) => f.number === 2)?.bytes.toString("utf8") ?? "";
    }
    return {
      reason: info.find((field) => field.number === 1)?.bytes.toString("utf8") ?? "",
      domain: info.find((field) => field.number === 2)?.bytes.toString("utf8") ?? "",
      metadata: metadataEntries,
    };
  }
  return undefined;
}

interface WireField {
  number: number;
  bytes: Buffer;
}

/** Top-level length-delimited fields of a message; varint fields are skipped. */
function fields(buffer: Buffer): WireField[] {
  const result: WireField[] = [];
  let offset = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = buffer[offset++];
      if (byte === undefined) throw new Error("truncated varint");
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  };
  while (offset < buffer.length) {
    const key = varint();
    const wireType = key & 7;
    const number = Math.floor(key / 8);
    if (wireType === 0) varint();
    else if (wireType === 2) {
      const length = varint();
      result.push({ number, bytes: buffer.subarray(offset, offset + length) });
      offset += length;
    } else if (wireType === 1) offset += 8;
    else if (wireType === 5) offset += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
  return result;
}

/** The gRPC error a call failed with; fails the test when the call succeeded instead. */
export async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error("expected the call to fail");
}
