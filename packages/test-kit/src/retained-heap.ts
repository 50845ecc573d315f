import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | undefined;

/**
 * Bytes of JavaScript heap still reachable, measured after a full garbage collection: what a
 * streaming test compares before and during a large read to show nothing accumulates. RSS is no
 * use for that: the allocator keeps freed pages, so RSS rises once and stays, leak or not.
 */
export function retainedHeapBytes(): number {
  if (collect === undefined) {
    // Test runners start without --expose-gc; the flag set now makes `gc` available to new contexts.
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  collect();
  return process.memoryUsage().heapUsed;
}
