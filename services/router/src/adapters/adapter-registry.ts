import { createGrpcClient, type FinishedUnaryCall, PaymeshError } from "@paymesh/adapter-kit";
import { adapterv1, ErrorReason, type PaymentMethodType } from "@paymesh/proto";
import { createAdapterPolicy, type PolicyEvent, resolveAdapterPolicyConfig } from "@paymesh/resilience";
import {
  type AdapterPolicySettings,
  type LoadBalancing,
  METHOD_TYPES,
  type MethodName,
  type RouterConfig,
} from "../router-config.ts";
import { classifyAdapterError } from "./adapter-error-class.ts";
import type { AdapterHandle, AdapterRegistry } from "./adapter-handle.ts";

/** Creates the registry from config: one client per adapter, created once, never per call. */
export function createAdapterRegistry(
  config: Pick<RouterConfig, "adapters" | "routes" | "policy">,
  options: {
    onPolicyEvent?: (event: PolicyEvent) => void;
    /** Every finished unary call to an adapter, for metrics. */
    onAdapterCall?: (adapter: string, call: FinishedUnaryCall) => void;
  } = {},
): AdapterRegistry {
  const handles = new Map<string, AdapterHandle>();
  for (const [name, adapter] of Object.entries(config.adapters)) {
    handles.set(name, {
      name,
      address: adapter.address,
      client: createGrpcClient(adapterv1.ProviderAdapter, adapter.address, {
        channelOptions: loadBalancingOptions(adapter.loadBalancing ?? "pick_first"),
        ...(options.onAdapterCall === undefined
          ? {}
          : { onUnaryFinished: (call: FinishedUnaryCall) => options.onAdapterCall?.(name, call) }),
      }),
      policy: createAdapterPolicy({
        ...resolveAdapterPolicyConfig(mergePolicy(config.policy, adapter.policy)),
        name,
        countsAsFailure: (error) => classifyAdapterError(error).countsAgainstBreaker,
        ...(options.onPolicyEvent === undefined ? {} : { onEvent: options.onPolicyEvent }),
      }),
    });
  }
  const routes = new Map<PaymentMethodType, AdapterHandle[]>();
  for (const [method, names] of Object.entries(config.routes) as Array<[MethodName, string[]]>) {
    routes.set(
      METHOD_TYPES[method],
      names.flatMap((name) => handles.get(name) ?? []),
    );
  }
  return {
    adaptersFor(method, preferred) {
      const candidates = routes.get(method) ?? [];
      if (candidates.length === 0) {
        throw new PaymeshError(
          ErrorReason.METHOD_NOT_SUPPORTED,
          "no adapter is configured for this payment method",
          {
            field: "method",
          },
        );
      }
      if (preferred === undefined || preferred === "") return candidates;
      const first = candidates.find((handle) => handle.name === preferred);
      if (first === undefined) {
        throw new PaymeshError(
          ErrorReason.INVALID_FIELD,
          `preferred_adapter: "${preferred}" does not serve this method`,
          {
            field: "preferred_adapter",
          },
        );
      }
      return [first, ...candidates.filter((handle) => handle !== first)];
    },
    get: (name) => handles.get(name),
    all: () => [...handles.values()],
    close() {
      for (const handle of handles.values()) {
        handle.policy.dispose();
        handle.client.close();
      }
    },
  };
}

/** An adapter's own settings on top of the router-wide ones, section by section. */
function mergePolicy(
  base: AdapterPolicySettings,
  own: AdapterPolicySettings | undefined,
): AdapterPolicySettings {
  if (own === undefined) return base;
  return {
    ...base,
    ...own,
    retry: { ...base.retry, ...own.retry },
    breaker: { ...base.breaker, ...own.breaker },
    bulkhead: { ...base.bulkhead, ...own.bulkhead },
  };
}

/** The channel's service config naming its load-balancing policy (gRPC service config JSON). */
function loadBalancingOptions(policy: LoadBalancing): Record<string, string> {
  return { "grpc.service_config": JSON.stringify({ loadBalancingConfig: [{ [policy]: {} }] }) };
}
