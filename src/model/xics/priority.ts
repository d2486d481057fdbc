/** Priority mapping of the XICS-on-XIVE device. */
import { MASKED } from './constants';

/**
 * xive_prio_from_guest (book3s_xive.h): 0..5 and 0xff pass through, 6..0xfe
 * collapse to 6 — XICS-on-XIVE has only 7 usable hardware queues per vCPU.
 */
export function prioFromGuest(p: number): number {
  return p === MASKED || p < 6 ? p : 6;
}
