/**
 * A shuffle of 0 … n-1 decided by a seed, computed one index at a time: a four-round Feistel
 * network over the smallest even power of two covering n, cycle-walked back into range. The bench
 * picks "exactly k payments of each kind" with it without holding a list the size of the report,
 * so its own memory does not grow with N and cannot hide the engine's.
 */
export function seededPermutation(n: number, seed: number): (index: number) => number {
  if (!Number.isSafeInteger(n) || n < 1 || n > 2 ** 30) throw new RangeError(`cannot permute ${n} indices`);
  let bits = 2;
  while (2 ** bits < n) bits += 2;
  const half = bits / 2;
  const mask = 2 ** half - 1;
  const keys = [1, 2, 3, 4].map((round) => mix32(seed ^ Math.imul(round, 0x9e3779b9)));
  const once = (x: number): number => {
    let left = x >>> half;
    let right = x & mask;
    for (const key of keys) {
      const next = left ^ (mix32(right ^ key) & mask);
      left = right;
      right = next;
    }
    return left * 2 ** half + right;
  };
  return (index) => {
    if (!(Number.isInteger(index) && index >= 0 && index < n))
      throw new RangeError(`index ${index} not in [0, ${n})`);
    // A bijection on [0, 2^bits) walked until it lands below n is a bijection on [0, n).
    let x = once(index);
    while (x >= n) x = once(x);
    return x;
  };
}

/** MurmurHash3's 32-bit finalizer: every input bit flips about half the output bits. */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
