import type { GrpcClient } from "@paymesh/adapter-kit";
import type { adapterv1, PaymentMethodType } from "@paymesh/proto";
import type { AdapterPolicy } from "@paymesh/resilience";

/** A configured adapter and its one long-lived client. */
export interface AdapterHandle {
  name: string;
  address: string;
  client: GrpcClient<typeof adapterv1.ProviderAdapter.method>;
  /** This adapter's one policy instance: its breaker state is shared by every call. */
  policy: AdapterPolicy;
}

/** Which adapters serve which methods, with one channel per adapter for the router's lifetime. */
export interface AdapterRegistry {
  /** Adapters for a method in priority order, the preferred one first when it serves the method. */
  adaptersFor(method: PaymentMethodType, preferred?: string): AdapterHandle[];
  /** An adapter by registry name (webhook path, stored payment's adapter). */
  get(name: string): AdapterHandle | undefined;
  all(): AdapterHandle[];
  close(): void;
}
