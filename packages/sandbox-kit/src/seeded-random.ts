/**
 * A number from (seed, index) alone, the same on every run and machine: what lets a simulator
 * synthesize line 734 512 of a million-line report without producing the 734 511 before it, and
 * a benchmark recompute the payments the report is about. SplitMix64's finalizer over both
 * inputs; good enough spread for test data, not for anything secret.
 */
export function seededValue(seed: number, index: number): bigint {
  let z = (BigInt.asUintN(64, BigInt(seed)) * 0x9e3779b97f4a7c15n + BigInt(index)) & MASK;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

const MASK = 0xffff_ffff_ffff_ffffn;

/** An integer in [min, max] from (seed, index): {@link seededValue} scaled. */
export function seededInteger(seed: number, index: number, min: bigint, max: bigint): bigint {
  return min + (seededValue(seed, index) % (max - min + 1n));
}
