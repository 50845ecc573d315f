// Generated code (src/gen, written by `buf generate`, never edited by hand) plus the grpc-js
// service definitions built from its descriptors.
export * as adminv1 from "./admin-v1.ts";
export * from "./gen/google/rpc/error_details_pb.js";
export * from "./gen/google/rpc/status_pb.js";
export * as adapterv1 from "./gen/payments/adapter/v1/provider_adapter_pb.js";
export * from "./gen/payments/v1/errors_pb.js";
export * from "./gen/payments/v1/money_pb.js";
export * from "./gen/payments/v1/payment_event_pb.js";
export * from "./gen/payments/v1/payment_pb.js";
export * from "./gen/payments/v1/payment_service_pb.js";
export * from "./gen/payments/v1/quote_pb.js";
export { grpcServiceDefinition, reflectionPackageDefinition } from "./grpc-service.ts";
