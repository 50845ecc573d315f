import type { KeyObject } from "node:crypto";

/**
 * A key as PEM text or an already-parsed KeyObject. Services load PEM from config; hot paths
 * (a simulator verifying every request) can parse once and pass the KeyObject.
 */
export type KeyLike = string | KeyObject;
