// payments.admin.v1 is several files (one per admin service); its users import it as one namespace.
export * from "./gen/payments/admin/v1/payment_admin_pb.js";
export * from "./gen/payments/admin/v1/reconciliation_admin_pb.js";
export * from "./gen/payments/admin/v1/reconciliation_run_pb.js";
