import { type DescMessage, type DescService, fromBinary, type Message, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";

/**
 * A grpc-js service definition for a protobuf-es service descriptor, so grpc-js servers and
 * clients serialize with protobuf-es (one set of generated types for gRPC and Connect alike).
 * Keys are the methods' local names (`createPayment`), as protobuf-es names them.
 */
export function grpcServiceDefinition(service: DescService): ServiceDefinition {
  const definition: Record<string, MethodDefinition<Message, Message>> = {};
  for (const method of service.methods) {
    definition[method.localName] = {
      path: `/${service.typeName}/${method.name}`,
      originalName: method.name,
      requestStream: method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming",
      responseStream: method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming",
      requestSerialize: serializer(method.input),
      requestDeserialize: deserializer(method.input),
      responseSerialize: serializer(method.output),
      responseDeserialize: deserializer(method.output),
    };
  }
  return definition;
}

function serializer(schema: DescMessage): (message: Message) => Buffer {
  return (message) => {
    const bytes = toBinary(schema, message);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

function deserializer(schema: DescMessage): (bytes: Buffer) => Message {
  return (bytes) => fromBinary(schema, bytes);
}

/**
 * The shape `@grpc/reflection` reads (a proto-loader package definition): for each service, the
 * serialized FileDescriptorProtos of its file and every file it depends on.
 */
export function reflectionPackageDefinition(
  services: readonly DescService[],
): Record<string, { fileDescriptorProtos: Buffer[] }> {
  const result: Record<string, { fileDescriptorProtos: Buffer[] }> = {};
  for (const service of services) {
    const files = new Map<string, Buffer>();
    const visit = (file: DescService["file"]): void => {
      if (files.has(file.proto.name)) return;
      files.set(file.proto.name, Buffer.from(toBinary(FileDescriptorProtoSchema, file.proto)));
      for (const dependency of file.dependencies) visit(dependency);
    };
    visit(service.file);
    result[service.typeName] = { fileDescriptorProtos: [...files.values()] };
  }
  return result;
}
