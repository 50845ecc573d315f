/** The start options every simulator takes, whatever the provider. */
export interface BaseSimulatorOptions {
  /** @default "127.0.0.1" */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
  /** Where notifications (callbacks, webhooks) go; also settable with `POST /sim/config`. */
  notifyUrl?: string;
  /** @default () => new Date() */
  clock?: () => Date;
  /**
   * A folder where the simulator keeps its state (payments, balances, counters) across restarts, in
   * one file named for the simulator. @default undefined: in memory, forgotten on close
   */
  dataDir?: string;
}

/** {@link BaseSimulatorOptions} with their defaults applied. */
export interface ResolvedBaseOptions {
  host: string;
  port: number;
  notifyUrl: string | undefined;
  clock: () => Date;
  dataDir: string | undefined;
}

/** Applies the defaults documented on {@link BaseSimulatorOptions}. */
export function resolveBaseOptions(options: BaseSimulatorOptions): ResolvedBaseOptions {
  return {
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    notifyUrl: options.notifyUrl,
    clock: options.clock ?? (() => new Date()),
    dataDir: options.dataDir,
  };
}
