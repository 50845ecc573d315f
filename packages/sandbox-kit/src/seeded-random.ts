/**
 * A number from (seed, index) alone, the same on every run and machine: what lets a simulator
 * synthesize line 734 512 of a million-line report without producing the 734 511 before it, and
 * a benchmark recompute the payments the report is about. Two rounds of a 32-bit integer mixer
 * (the "lowbias32" finalizer) over both inputs, in plain number arithmetic so a million lines cost
 * milliseconds; good enough spread for test data, not for anything secret.
 */
export function seededValue(seed: number, index: number): number {
  return mix(mix(seed >>> 0) ^ (index >>> 0));
}

function mix(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** An integer in [min, max] (a span of at most 2^32) from (seed, index): {@link seededValue} scaled. */
export function seededInteger(seed: number, index: number, min: bigint, max: bigint): bigint {
  const span = max - min + 1n;
  if (span > 2n ** 32n) throw new RangeError("seededInteger spans at most 2^32 values");
  return min + (BigInt(seededValue(seed, index)) % span);
}
