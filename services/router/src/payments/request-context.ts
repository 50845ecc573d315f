/** Who is calling and for how long they will wait. */
export interface RequestContext {
  caller: string;
  /** The caller's deadline; Infinity when none. */
  deadline: Date | number;
  signal: AbortSignal;
}
