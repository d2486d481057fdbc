/**
 * The rules of KVM_DEV_XIVE_GRP_EQ_CONFIG set (kvmppc_xive_native_set_queue_config),
 * written once, in the kernel's order. The model applies them to a VM (every
 * fact known); the checker applies them to a statement before it runs, where
 * whether the server has a connected vCPU is not known: it then gets the first
 * rule that would fail *if* the earlier unknown checks pass, with those
 * assumptions spelled out. Either way the first failing rule is the one the
 * kernel returns, and the only one.
 */
import type { KvmPpcXiveEq } from '../attr';
import { KVM_XIVE_EQ_ALWAYS_NOTIFY } from '../attr';
import type { Errno } from '../result';
import { KVM_QSHIFT } from './constants';
import { prioFromGuest } from './priority';

export const SET_QUEUE_CONFIG_FN = 'kvmppc_xive_native_set_queue_config';

export interface QueueConfigRequest {
  readonly server: number;
  readonly priority: number;
  /** null: the struct cannot be read (a bad address). */
  readonly eq: KvmPpcXiveEq | null;
}

/** What is known when the rules are read; undefined means "not known before running". */
export interface QueueConfigFacts {
  readonly serverConnected: boolean | undefined;
  readonly ramSize: bigint;
}

/** Which rule failed: `reserved-priority` is shared with every other priority check; the struct rules are `eq-config`. */
export type QueueConfigRule = 'fault' | 'no-server' | 'reserved-priority' | 'eq-config' | 'outside-ram' | 'restore-refused';

export interface RuleFailure {
  readonly rule: QueueConfigRule;
  readonly errno: Errno;
  readonly reason: string;
}

export interface QueueConfigVerdict {
  /** The first rule that fails (the kernel's errno), or null when the request passes them all. */
  readonly failure: RuleFailure | null;
  /** Unknown facts taken to hold on the way there, each with what happens otherwise. */
  readonly assuming: readonly string[];
  /** The request resets the queue (qshift 0): no struct check applies. */
  readonly reset: boolean;
  /** The request restores hardware queue state (qtoggle ≠ 1 or qindex ≠ 0): xive_native_set_queue_state is called. */
  readonly restoring: boolean;
}

/** Entries of the only queue size KVM accepts. */
const ENTRIES = 1 << (KVM_QSHIFT - 2);

function failed(rule: QueueConfigRule, errno: Errno, reason: string, assuming: string[], restoring = false): QueueConfigVerdict {
  return { failure: { rule, errno, reason }, assuming, reset: false, restoring };
}

/** The kernel's checks in order; the first failure is the result. */
export function checkQueueConfig(req: QueueConfigRequest, facts: QueueConfigFacts): QueueConfigVerdict {
  const fn = SET_QUEUE_CONFIG_FN;
  const assuming: string[] = [];
  // The 64-byte struct is copied before anything is looked up.
  if (req.eq === null) return failed('fault', 'EFAULT', `cannot read struct kvm_ppc_xive_eq at addr (copy_from_user in ${fn})`, assuming);
  const eq = req.eq;
  if (facts.serverConnected === false) return failed('no-server', 'ENOENT', `no connected vCPU has server ${req.server} (${fn})`, assuming);
  if (facts.serverConnected === undefined) assuming.push(`server ${req.server} has a connected vCPU (else ENOENT)`);
  if (prioFromGuest(req.priority) !== req.priority) return failed('reserved-priority', 'EINVAL', `priority ${req.priority} is reserved (xive_prio_from_guest)`, assuming);
  // Reset: flags are not checked.
  if (eq.qshift === 0) return { failure: null, assuming, reset: true, restoring: false };
  if (eq.flags !== KVM_XIVE_EQ_ALWAYS_NOTIFY) {
    return failed('eq-config', 'EINVAL', `EQ flags 0x${eq.flags.toString(16)} refused: flags must be exactly KVM_XIVE_EQ_ALWAYS_NOTIFY (1) (${fn})`, assuming);
  }
  if (eq.qshift !== KVM_QSHIFT) {
    return failed('eq-config', 'EINVAL', `EQ qshift ${eq.qshift} refused: only 64 KiB queues (qshift 16) are supported (${fn})`, assuming);
  }
  if ((eq.qaddr & ((1n << BigInt(eq.qshift)) - 1n)) !== 0n) {
    return failed('eq-config', 'EINVAL', `EQ qaddr 0x${eq.qaddr.toString(16)} is not aligned to 2^${eq.qshift} (${fn})`, assuming);
  }
  if (eq.qaddr >= facts.ramSize) {
    return failed('outside-ram', 'EINVAL', `EQ qaddr 0x${eq.qaddr.toString(16)} is outside guest RAM (0x${facts.ramSize.toString(16)} bytes): gfn_to_page fails (${fn})`, assuming);
  }
  // Firmware restore of the hardware position (xive_native_set_queue_state); the
  // values it refuses are UNCONFIRMED: the model refuses a toggle other than
  // 0/1 and an index ≥ entries with -EIO, and tears the queue down.
  const restoring = eq.qtoggle !== 1 || eq.qindex !== 0;
  if (restoring && (eq.qtoggle > 1 || eq.qindex >= ENTRIES)) {
    return failed('restore-refused', 'EIO', `queue state toggle ${eq.qtoggle} index ${eq.qindex} refused by firmware (index must be < ${ENTRIES}; UNCONFIRMED) (xive_native_set_queue_state in ${fn}); the queue is torn down`, assuming, true);
  }
  return { failure: null, assuming, reset: false, restoring };
}

/**
 * Why a struct with these values is suspicious although the kernel takes it:
 * a new queue (qindex 0) with qtoggle other than 1 makes the kernel restore
 * queue state, and the guest's reader (toggle 0 on a new queue) then takes
 * the hardware's entries as old. Null when there is nothing to say.
 */
export function freshQueueToggleProblem(eq: KvmPpcXiveEq): string | null {
  if (eq.qshift === 0 || eq.qindex !== 0 || eq.qtoggle === 1) return null;
  return `qtoggle ${eq.qtoggle} on a new queue: QEMU configures a fresh queue with qtoggle 1 (the generation the hardware writes first); any other value makes the kernel restore queue state (xive_native_set_queue_state), and a guest reader set up for a new queue (toggle 0, xive_read_eq) then sees none of the entries`;
}
