import {
  type DescField,
  type DescMessage,
  fromBinary,
  fromJsonString,
  type MessageShape,
  ScalarType,
} from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { ErrorReason } from "@paymesh/proto";
import { invalidField, PaymeshError } from "./paymesh-error.ts";

// A request body the caller sent is the caller's problem, never the router's: every way it can fail
// to decode (truncated, a wire type its field cannot have, field number 0, invalid UTF-8 in a
// string, JSON that does not fit the schema) is INVALID_ARGUMENT with ErrorInfo, naming the field
// when the bytes show which one. Both transports decode through here.

/** A request that did not decode, standing in for the message until the handler answers it. */
export class UndecodableRequest {
  readonly error: PaymeshError;
  constructor(error: PaymeshError) {
    this.error = error;
  }
}

/** The message in protobuf binary, or why it is not one. Never throws. */
export function decodeBinaryRequest<Desc extends DescMessage>(
  schema: Desc,
  bytes: Uint8Array,
): MessageShape<Desc> | UndecodableRequest {
  try {
    return fromBinary(schema, bytes);
  } catch (error) {
    const found = locateWireFault(schema, bytes);
    return undecodable(found?.field, found?.problem ?? messageOf(error));
  }
}

/** The message in the protobuf JSON mapping (unknown fields ignored, as Connect does), or why not. */
export function decodeJsonRequest<Desc extends DescMessage>(
  schema: Desc,
  bytes: Uint8Array,
): MessageShape<Desc> | UndecodableRequest {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undecodable(undefined, "the body is not valid UTF-8");
  }
  try {
    return fromJsonString(schema, text, { ignoreUnknownFields: true });
  } catch (error) {
    const message = messageOf(error);
    // protobuf-es names the field as "<message type>.<field>"; the caller knows it by the field alone.
    const named = /cannot decode field [\w.]*?\.(\w+) from JSON/.exec(message);
    return undecodable(named?.[1], message);
  }
}

function undecodable(field: string | undefined, problem: string): UndecodableRequest {
  const message = `the request could not be decoded: ${problem}`;
  return new UndecodableRequest(
    field === undefined
      ? new PaymeshError(ErrorReason.INVALID_FIELD, message)
      : invalidField(field, `could not be decoded: ${problem}`),
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Where in the bytes decoding fails, walking them with the schema: the field path and the fault. */
export function locateWireFault(
  schema: DescMessage,
  bytes: Uint8Array,
  path = "",
  depth = 0,
): { field: string | undefined; problem: string } | undefined {
  if (depth > 32) return { field: path || undefined, problem: "nested too deeply" };
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    let fieldNo: number;
    let wireType: WireType;
    try {
      [fieldNo, wireType] = reader.tag();
    } catch (error) {
      return { field: path || undefined, problem: messageOf(error) };
    }
    const field = schema.fields.find((candidate) => candidate.number === fieldNo);
    const name = field === undefined ? path || undefined : path === "" ? field.name : `${path}.${field.name}`;
    if (field !== undefined && !wireTypeFits(field, wireType)) {
      return { field: name, problem: `wire type ${wireType} does not fit this field` };
    }
    let value: Uint8Array;
    try {
      value = reader.skip(wireType, fieldNo);
    } catch (error) {
      return { field: name, problem: messageOf(error) };
    }
    if (field === undefined || wireType !== WireType.LengthDelimited || name === undefined) continue;
    let inner: ReturnType<typeof innerFault>;
    try {
      inner = innerFault(field, value, name, depth);
    } catch (error) {
      inner = { field: name, problem: messageOf(error) };
    }
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** A fault inside one length-delimited field's value (skip() returned its tag and length prefix too). */
function innerFault(
  field: DescField,
  raw: Uint8Array,
  name: string,
  depth: number,
): { field: string | undefined; problem: string } | undefined {
  const value = new BinaryReader(raw).bytes();
  const message =
    field.fieldKind === "message"
      ? field.message
      : field.fieldKind === "list" && field.listKind === "message"
        ? field.message
        : undefined;
  if (message !== undefined) return locateWireFault(message, value, name, depth + 1);
  const isString =
    (field.fieldKind === "scalar" && field.scalar === ScalarType.STRING) ||
    (field.fieldKind === "list" && field.listKind === "scalar" && field.scalar === ScalarType.STRING);
  if (isString && !isUtf8(value)) return { field: name, problem: "invalid UTF-8" };
  if (field.fieldKind === "map") {
    // A map entry is a message of key = 1 and value = 2.
    const reader = new BinaryReader(value);
    while (reader.pos < reader.len) {
      const [entryNo, entryType] = reader.tag();
      const entry = reader.skip(entryType, entryNo);
      if (entryType !== WireType.LengthDelimited) continue;
      const bytes = new BinaryReader(entry).bytes();
      if (entryNo === 1 && field.mapKey === ScalarType.STRING && !isUtf8(bytes))
        return { field: name, problem: "a key is not valid UTF-8" };
      if (entryNo === 2 && field.mapKind === "scalar" && field.scalar === ScalarType.STRING && !isUtf8(bytes))
        return { field: name, problem: "a value is not valid UTF-8" };
      if (entryNo === 2 && field.mapKind === "message")
        return locateWireFault(field.message, bytes, name, depth + 1);
    }
  }
  return undefined;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Whether a field may arrive with this wire type (repeated scalars also packed). */
function wireTypeFits(field: DescField, wireType: WireType): boolean {
  switch (field.fieldKind) {
    case "message":
    case "map":
      return wireType === WireType.LengthDelimited;
    case "enum":
      return wireType === WireType.Varint;
    case "scalar":
      return wireType === scalarWireType(field.scalar);
    case "list":
      if (field.listKind === "message") return wireType === WireType.LengthDelimited;
      if (field.listKind === "enum")
        return wireType === WireType.Varint || wireType === WireType.LengthDelimited;
      return wireType === scalarWireType(field.scalar) || wireType === WireType.LengthDelimited;
  }
}

function scalarWireType(scalar: ScalarType): WireType {
  switch (scalar) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return WireType.LengthDelimited;
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return WireType.Bit64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return WireType.Bit32;
    default:
      return WireType.Varint;
  }
}
