/** Priority rules shared by the model and the DSL checker (pure predicates). */
import type { KvmPpcXiveEq } from '../attr';
import { KVM_XIVE_EQ_ALWAYS_NOTIFY } from '../attr';
import { KVM_QSHIFT } from './constants';

/** xive_prio_from_guest (book3s_xive.h): 0..5 and 0xff unchanged, anything else 6. */
export function prioFromGuest(p: number): number {
  return p === 0xff || p < 6 ? p : 6;
}

/** A priority the native device accepts in a 3-bit field: prio_from_guest(p) == p, i.e. 0..6. */
export function isValidXivePriority(p: number): boolean {
  return Number.isInteger(p) && p >= 0 && p <= 6;
}

/** Why KVM would refuse this EQ_CONFIG struct (empty when it passes the struct-only checks, §3.6.3 steps 4–7). */
export function eqConfigProblems(eq: KvmPpcXiveEq): string[] {
  if (eq.qshift === 0) return [];
  const out: string[] = [];
  if (eq.flags !== KVM_XIVE_EQ_ALWAYS_NOTIFY) {
    out.push(`EQ flags 0x${eq.flags.toString(16)} refused: flags must be exactly KVM_XIVE_EQ_ALWAYS_NOTIFY (1) (kvmppc_xive_native_set_queue_config)`);
  }
  if (eq.qshift !== KVM_QSHIFT) {
    out.push(`EQ qshift ${eq.qshift} refused: only 64 KiB queues (qshift 16) are supported (kvmppc_xive_native_set_queue_config)`);
  } else if ((eq.qaddr & ((1n << BigInt(eq.qshift)) - 1n)) !== 0n) {
    out.push(`EQ qaddr 0x${eq.qaddr.toString(16)} is not aligned to 2^${eq.qshift} (kvmppc_xive_native_set_queue_config)`);
  }
  return out;
}
