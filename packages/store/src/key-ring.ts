import { randomBytes } from "node:crypto";

/** A key-encryption key: 32 bytes for AES-256-GCM, named so a sealed value says which key wraps it. */
export interface KeyEncryptionKey {
  id: string;
  key: Uint8Array;
}

/**
 * The key-encryption keys a store may use (docs/architecture.md §7): the first wraps every new data
 * key, all of them unwrap. Rotation adds a key in front and retires the old one once nothing is
 * wrapped by it any more.
 */
export interface KeyRing {
  /** Wraps new data keys. */
  readonly current: KeyEncryptionKey;
  /** Every key id, the current one first. */
  readonly ids: readonly string[];
  find(id: string): KeyEncryptionKey | undefined;
}

/** Ids are written next to the data they wrap and in config: short, plain, unambiguous. */
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Why a key ring cannot be built. The message names the key by id, never shows key material, so it
 * can be printed at startup as it is.
 */
export class KeyRingError extends Error {
  readonly isKeyRingError = true;

  constructor(message: string) {
    super(message);
    this.name = "KeyRingError";
  }
}

/** Whether `error` is a {@link KeyRingError} (by marker, so it holds across module copies). */
export function isKeyRingError(error: unknown): error is KeyRingError {
  return typeof error === "object" && error !== null && "isKeyRingError" in error;
}

/** A key ring over `keys`, the first being the one that wraps. */
export function createKeyRing(keys: readonly KeyEncryptionKey[]): KeyRing {
  const [current] = keys;
  if (current === undefined) throw new KeyRingError("at least one key is required");
  const byId = new Map<string, KeyEncryptionKey>();
  for (const { id, key } of keys) {
    if (!KEY_ID.test(id)) throw new KeyRingError(`key id ${JSON.stringify(id)} must match ${KEY_ID.source}`);
    if (key.length !== 32) throw new KeyRingError(`key ${id} must be 32 bytes, got ${key.length}`);
    if (byId.has(id)) throw new KeyRingError(`key id ${id} is given twice`);
    byId.set(id, { id, key: new Uint8Array(key) });
  }
  return {
    current: byId.get(current.id) ?? current,
    ids: [...byId.keys()],
    find: (id) => byId.get(id),
  };
}

/**
 * Reads "<id>:<base64 of 32 bytes>", several separated by commas, newest (the one that wraps)
 * first: the form of PAYMESH_KEK and of the key file kept in the embedded data folder.
 */
export function parseKeyRing(text: string): KeyRing {
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  return createKeyRing(
    entries.map((entry) => {
      const colon = entry.indexOf(":");
      if (colon < 1) throw new KeyRingError('each key must be written "<id>:<base64 of 32 bytes>"');
      const id = entry.slice(0, colon);
      const encoded = entry.slice(colon + 1);
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new KeyRingError(`key ${id} is not base64`);
      return { id, key: Buffer.from(encoded, "base64") };
    }),
  );
}

/** The text form parseKeyRing reads. */
export function formatKeyRing(ring: KeyRing): string {
  return ring.ids
    .map((id) => `${id}:${Buffer.from(ring.find(id)?.key ?? new Uint8Array()).toString("base64")}`)
    .join(",");
}

/** A fresh random key under `id`. */
export function generateKeyEncryptionKey(id: string): KeyEncryptionKey {
  return { id, key: randomBytes(32) };
}

/**
 * A ring of one random key that dies with the process: for a store given no keys (tests, tools, an
 * in-memory database), whose sealed values nobody else needs to open.
 */
export function ephemeralKeyRing(): KeyRing {
  return createKeyRing([generateKeyEncryptionKey("ephemeral")]);
}
