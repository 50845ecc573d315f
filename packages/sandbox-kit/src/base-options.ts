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
}

/** {@link BaseSimulatorOptions} with their defaults applied. */
export interface ResolvedBaseOptions {
  host: string;
  port: number;
  notifyUrl: string | undefined;
  clock: () => Date;
}

/** Applies the defaults documented on {@link BaseSimulatorOptions}. */
export function resolveBaseOptions(options: BaseSimulatorOptions): ResolvedBaseOptions {
  return {
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    notifyUrl: options.notifyUrl,
    clock: options.clock ?? (() => new Date()),
  };
}
