import type { SettlementReportControls } from "@paymesh/sandbox-kit";
import type { Notifier } from "./notifier.ts";
import type { SimState } from "./sim-state.ts";
import { wiseFailure } from "./wise-failure.ts";

/** What a route handler gets: state, the notifier, the path's captured groups and the raw body. */
export interface RouteContext {
  state: SimState;
  notifier: Notifier;
  /** Capture groups of the route's pattern, in order. */
  params: string[];
  url: URL;
  rawBody: Buffer;
  /** The per-day settlement report (balance statements) and what a test injected into it. */
  report: SettlementReportControls;
}

/** A route's answer; `body` is serialized with JSON.stringify (exactNumber values stay exact). */
export interface RouteAnswer {
  status: number;
  body: unknown;
}

/** One Wise API endpoint of the simulator. */
export interface WiseRoute {
  method: "GET" | "POST" | "PUT";
  /** Anchored pattern over the path; groups become `params`. */
  pattern: RegExp;
  /** Name counted in `/sim/stats` requests and matched by `failNext.endpoint`. */
  endpoint: string;
  handle(context: RouteContext): RouteAnswer | Promise<RouteAnswer>;
}

/**
 * The profile in a path must be the token's own profile. Wise answers another profile's resources
 * as forbidden (*unconfirmed* body; the simulator uses its error envelope).
 */
export function requireProfile(state: SimState, profileId: string | undefined): string {
  if (profileId !== state.options.profileId) {
    throw wiseFailure(403, "FORBIDDEN", `Access to profile ${profileId ?? ""} is denied`);
  }
  return profileId;
}

/** The capture group at `index`; the patterns guarantee it exists. */
export function param(context: RouteContext, index: number): string {
  return context.params[index] ?? "";
}
