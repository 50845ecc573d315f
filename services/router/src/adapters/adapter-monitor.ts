import { PaymeshError } from "@paymesh/adapter-kit";
import type { adapterv1 } from "@paymesh/proto";
import type { AdapterRegistry } from "./adapter-handle.ts";

/** What the router knows about one adapter right now. */
export interface AdapterStatus {
  name: string;
  address: string;
  /** The adapter's circuit breaker: "closed", "open", "half-open" or "isolated". */
  breaker: string;
  /** Whether the adapter answered its last Describe; undefined before the first probe. */
  reachable: boolean | undefined;
  /** Provider id from Describe, e.g. "snap-qris". */
  provider: string;
  version: string;
  lastCheckedAt: string | undefined;
  lastError: string | undefined;
}

/**
 * Probes every adapter with Describe on an interval and combines that with its breaker state, so
 * operators (health service, `paymesh adapters`) see which providers are usable without sending a
 * payment.
 */
export function createAdapterMonitor(options: {
  registry: AdapterRegistry;
  /** @default 5000 */
  intervalMs?: number;
  onChange?: (status: AdapterStatus) => void;
  /** Every Describe answer, e.g. for the router's admission checks (adapter-descriptions.ts). */
  onDescribe?: (name: string, description: adapterv1.DescribeResponse) => void;
}) {
  const { registry } = options;
  const probes = new Map<
    string,
    Pick<AdapterStatus, "reachable" | "provider" | "version" | "lastCheckedAt" | "lastError">
  >();
  let timer: NodeJS.Timeout | undefined;

  const status = (name: string): AdapterStatus | undefined => {
    const handle = registry.get(name);
    if (handle === undefined) return undefined;
    const probe = probes.get(name);
    return {
      name,
      address: handle.address,
      breaker: handle.policy.state(),
      reachable: probe?.reachable,
      provider: probe?.provider ?? "",
      version: probe?.version ?? "",
      lastCheckedAt: probe?.lastCheckedAt,
      lastError: probe?.lastError,
    };
  };

  async function probeAll(): Promise<void> {
    await Promise.all(
      registry.all().map(async (handle) => {
        const checkedAt = new Date().toISOString();
        try {
          const description = await handle.client.describe({}, { deadline: new Date(Date.now() + 2_000) });
          options.onDescribe?.(handle.name, description);
          probes.set(handle.name, {
            reachable: true,
            provider: description.provider,
            version: description.version,
            lastCheckedAt: checkedAt,
            lastError: undefined,
          });
        } catch (error) {
          const previous = probes.get(handle.name);
          probes.set(handle.name, {
            reachable: false,
            provider: previous?.provider ?? "",
            version: previous?.version ?? "",
            lastCheckedAt: checkedAt,
            lastError: PaymeshError.from(error).message,
          });
        }
        const current = status(handle.name);
        if (current !== undefined) options.onChange?.(current);
      }),
    );
  }

  return {
    probeAll,
    snapshot: (): AdapterStatus[] => registry.all().flatMap((handle) => status(handle.name) ?? []),
    start(): void {
      void probeAll();
      timer = setInterval(() => void probeAll(), options.intervalMs ?? 5_000);
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}

/** The adapter monitor. */
export type AdapterMonitor = ReturnType<typeof createAdapterMonitor>;

/** The name each adapter has in the router's grpc.health.v1 service. */
export function adapterHealthName(name: string): string {
  return `paymesh.adapter.${name}`;
}
