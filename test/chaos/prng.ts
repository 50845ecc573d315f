/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32), so a chaos run is
 * reproducible from its printed seed. Not for anything secret: it only picks test scenarios.
 */
export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [min, max], both inclusive. */
  between(min: number, max: number): number;
  /** A bigint in [min, max], both inclusive (amounts; never through a float for the value itself). */
  bigintBetween(min: bigint, max: bigint): bigint;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** One key of a weight table, in proportion to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
}

/** splitmix32: spreads a 32-bit seed into well-mixed state words. */
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator for a 32-bit seed. The same seed always gives the same sequence. */
export function createPrng(seed: number): Prng {
  const mix = splitmix32(seed);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const nextUint32 = (): number => {
    // sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), 32-bit variant.
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextUint32(); // discard the first outputs
  const prng: Prng = {
    next: () => nextUint32() / 4_294_967_296,
    int(n) {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`int(n) needs a positive integer, got ${n}`);
      return Math.floor(prng.next() * n);
    },
    between: (min, max) => min + prng.int(max - min + 1),
    bigintBetween(min, max) {
      const span = max - min + 1n;
      if (span <= 0n) throw new RangeError("bigintBetween needs min <= max");
      // 64 random bits, reduced; the bias is negligible for the spans used here.
      const bits = (BigInt(nextUint32()) << 32n) | BigInt(nextUint32());
      return min + (bits % span);
    },
    chance: (p) => prng.next() < p,
    pick<T>(items: readonly T[]): T {
      const item = items[prng.int(items.length)];
      if (item === undefined) throw new RangeError("pick needs a non-empty list");
      return item;
    },
    weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
      const entries = Object.entries(weights) as Array<[K, number]>;
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = prng.next() * total;
      for (const [key, weight] of entries) {
        roll -= weight;
        if (roll < 0) return key;
      }
      const last = entries.filter(([, weight]) => weight > 0).at(-1);
      if (last === undefined) throw new RangeError("weighted needs a positive weight");
      return last[0];
    },
  };
  return prng;
}

/** A generator of its own for one item of a run, independent of the order items run in. */
export function derivePrng(seed: number, stream: number): Prng {
  return createPrng((Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + Math.imul(stream + 1, 0x165667b1)) >>> 0);
}
