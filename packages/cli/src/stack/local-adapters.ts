/**
 * The adapters `paymesh up` runs, by the name the router knows each one under. The name is also the
 * router's webhook path segment (`/webhooks/<name>`) and the key in `.data/dev-stack.json`.
 */
export const ADAPTER_NAMES = ["qris", "va", "transfer", "remittance"] as const;

/** One of ADAPTER_NAMES. */
export type AdapterName = (typeof ADAPTER_NAMES)[number];

/**
 * What a reconciler needs to know of a simulated provider besides the adapter's address: its
 * provider id, cut-off zone, settlement lag and fees, as the simulator declares them (the same
 * shape for every simulator).
 */
export type SettlementTerms = typeof import("@paymesh/adapter-va/sandbox/settlement-terms").settlementTerms;

/** How to run one adapter and its provider simulator from source, and what the router routes to it. */
export interface LocalAdapterSpec {
  /** For messages: "QRIS", "VA (Midtrans)", … */
  label: string;
  /** The router's route key for the one payment method this adapter serves. */
  method: "qris" | "virtual_account" | "bank_transfer" | "remittance";
  /**
   * The simulator: `service` is the name in its ready line (and the log prefix); `terms` loads the
   * terms its reports are reconciled by, only when called.
   */
  sandbox: { service: string; file: string; terms: () => Promise<SettlementTerms> };
  /**
   * The adapter, pointed at the simulator by `env(simulatorUrl)`, plus ADAPTER_PORT=0. `env` loads the
   * simulator's package only when called, so commands other than `up` start without it.
   */
  adapter: {
    service: string;
    file: string;
    env: (simulatorUrl: string) => Promise<Record<string, string>>;
  };
}

/**
 * Each adapter pair as its README documents it. Each simulator says, through its `adapterEnv`, the
 * environment that points its adapter at it with the simulator's fake test credentials.
 */
export const LOCAL_ADAPTERS: Readonly<Record<AdapterName, LocalAdapterSpec>> = {
  qris: {
    label: "QRIS",
    method: "qris",
    sandbox: {
      service: "qris-sandbox",
      file: "services/adapter-qris/sandbox/main.ts",
      terms: async () => (await import("@paymesh/adapter-qris/sandbox/settlement-terms")).settlementTerms,
    },
    adapter: {
      service: "adapter-qris",
      file: "services/adapter-qris/src/main.ts",
      env: async (url) => (await import("@paymesh/adapter-qris/sandbox/adapter-env")).adapterEnv(url),
    },
  },
  va: {
    label: "VA (Midtrans)",
    method: "virtual_account",
    sandbox: {
      service: "va-sandbox",
      file: "services/adapter-va/sandbox/main.ts",
      terms: async () => (await import("@paymesh/adapter-va/sandbox/settlement-terms")).settlementTerms,
    },
    adapter: {
      service: "adapter-va",
      file: "services/adapter-va/src/main.ts",
      env: async (url) => (await import("@paymesh/adapter-va/sandbox/adapter-env")).adapterEnv(url),
    },
  },
  transfer: {
    label: "transfer (Xendit)",
    method: "bank_transfer",
    sandbox: {
      service: "transfer-sandbox",
      file: "services/adapter-transfer/sandbox/main.ts",
      terms: async () => (await import("@paymesh/adapter-transfer/sandbox/settlement-terms")).settlementTerms,
    },
    adapter: {
      service: "adapter-transfer",
      file: "services/adapter-transfer/src/main.ts",
      env: async (url) => (await import("@paymesh/adapter-transfer/sandbox/adapter-env")).adapterEnv(url),
    },
  },
  remittance: {
    label: "remittance (Wise)",
    method: "remittance",
    sandbox: {
      service: "remittance-sandbox",
      file: "services/adapter-remittance/sandbox/main.ts",
      terms: async () =>
        (await import("@paymesh/adapter-remittance/sandbox/settlement-terms")).settlementTerms,
    },
    adapter: {
      service: "adapter-remittance",
      file: "services/adapter-remittance/src/main.ts",
      env: async (url) => (await import("@paymesh/adapter-remittance/sandbox/adapter-env")).adapterEnv(url),
    },
  },
};

/** Builds a record with one entry per adapter, so the result is typed as complete. */
export function perAdapter<T>(value: (name: AdapterName) => T): Record<AdapterName, T> {
  return {
    qris: value("qris"),
    va: value("va"),
    transfer: value("transfer"),
    remittance: value("remittance"),
  };
}
