/**
 * A trace value as a bigint, shared for the small values that make up most
 * of a trace (ESB PQ bits, CPPR bytes, ACK words): a long replay makes one
 * bigint per value read, and one per distinct small value is enough.
 */
const SHARED_BELOW = 1 << 16;
/** Filled on first use; packed from the start so lookups stay fast. */
const shared: (bigint | undefined)[] = new Array<bigint | undefined>(SHARED_BELOW).fill(undefined);

/** BigInt(v) for an integer v that a double holds exactly. */
export function bigIntOf(v: number): bigint {
  if (v >= 0 && v < SHARED_BELOW) return (shared[v] ??= BigInt(v));
  return BigInt(v);
}
