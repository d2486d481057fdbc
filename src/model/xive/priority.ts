/** Priority rules shared by the model and the DSL checker (pure predicates). */

/** xive_prio_from_guest (book3s_xive.h): 0..5 and 0xff unchanged, anything else 6. */
export function prioFromGuest(p: number): number {
  return p === 0xff || p < 6 ? p : 6;
}

/** A priority the native device accepts in a 3-bit field: prio_from_guest(p) == p, i.e. 0..6. */
export function isValidXivePriority(p: number): boolean {
  return Number.isInteger(p) && p >= 0 && p <= 6;
}
