import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { KeyEncryptionKey, KeyRing } from "./key-ring.ts";

/**
 * A value under envelope encryption: its own random data key encrypted it (AES-256-GCM), and that
 * data key is kept wrapped by a key-encryption key, named by id. Rotating a key-encryption key
 * re-wraps the 60-byte data keys, never the data.
 */
export interface SealedValue {
  /** The key-encryption key that wraps `wrappedKey`. */
  keyId: string;
  /** The data key: 12-byte IV, 32 encrypted bytes, 16-byte tag. */
  wrappedKey: Uint8Array;
  /** The value: 12-byte IV, the encrypted bytes, 16-byte tag. */
  ciphertext: Uint8Array;
}

/** A sealed value could not be opened: its key is not in the ring, or the key or data is wrong. */
export class SealedValueError extends Error {
  readonly isSealedValueError = true;

  constructor(message: string) {
    super(message);
    this.name = "SealedValueError";
  }
}

/** Whether `error` is a {@link SealedValueError}. */
export function isSealedValueError(error: unknown): error is SealedValueError {
  return typeof error === "object" && error !== null && "isSealedValueError" in error;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals `plaintext` under a fresh data key wrapped by the ring's current key. `context` (the
 * payment id) is bound in as associated data, so a sealed value copied onto another row does not open.
 */
export function seal(ring: KeyRing, plaintext: Uint8Array, context: string): SealedValue {
  const dataKey = randomBytes(32);
  try {
    return {
      keyId: ring.current.id,
      wrappedKey: encrypt(ring.current.key, dataKey, ring.current.id),
      ciphertext: encrypt(dataKey, plaintext, context),
    };
  } finally {
    dataKey.fill(0);
  }
}

/** The plaintext of a value sealed for `context`; a {@link SealedValueError} when it cannot be. */
export function open(ring: KeyRing, sealed: SealedValue, context: string): Uint8Array {
  const dataKey = unwrap(ring, sealed);
  try {
    return decrypt(dataKey, sealed.ciphertext, context, () => `the data sealed for ${context} was altered`);
  } finally {
    dataKey.fill(0);
  }
}

/** The same value with its data key wrapped by the ring's current key; unchanged if it already is. */
export function rewrap(ring: KeyRing, sealed: SealedValue): SealedValue {
  if (sealed.keyId === ring.current.id) return sealed;
  const dataKey = unwrap(ring, sealed);
  try {
    return {
      ...sealed,
      keyId: ring.current.id,
      wrappedKey: encrypt(ring.current.key, dataKey, ring.current.id),
    };
  } finally {
    dataKey.fill(0);
  }
}

function unwrap(ring: KeyRing, sealed: SealedValue): Buffer {
  const kek: KeyEncryptionKey | undefined = ring.find(sealed.keyId);
  if (kek === undefined) {
    throw new SealedValueError(
      `sealed with key ${sealed.keyId}, which is not configured (configured: ${ring.ids.join(", ")})`,
    );
  }
  return decrypt(
    kek.key,
    sealed.wrappedKey,
    kek.id,
    () => `key ${kek.id} does not open its data keys: it is not the key they were sealed with`,
  );
}

function encrypt(key: Uint8Array, plaintext: Uint8Array, context: string): Uint8Array {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()]));
}

function decrypt(key: Uint8Array, sealed: Uint8Array, context: string, why: () => string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new SealedValueError(why());
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    // GCM says only "unable to authenticate": the key is wrong or the bytes were changed.
    throw new SealedValueError(why());
  }
}
