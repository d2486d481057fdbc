/**
 * Errors are values. Every model operation returns a Result: either the value
 * or the errno the kernel would return, with `reason` naming the rule (and the
 * kernel/QEMU function it comes from) so users can see *why*.
 */
export type Errno =
  | 'EPERM' | 'ENOENT' | 'EIO' | 'ENXIO' | 'E2BIG' | 'EBADF' | 'ENOMEM'
  | 'EFAULT' | 'EBUSY' | 'EEXIST' | 'ENODEV' | 'EINVAL' | 'ENOSPC'
  /** Not an errno: a guest MMIO access the host answers with SIGBUS (unmapped ESB/TIMA page). */
  | 'SIGBUS';

export const ERRNO_NAMES: readonly Errno[] = [
  'EPERM', 'ENOENT', 'EIO', 'ENXIO', 'E2BIG', 'EBADF', 'ENOMEM',
  'EFAULT', 'EBUSY', 'EEXIST', 'ENODEV', 'EINVAL', 'ENOSPC', 'SIGBUS',
];

/** Linux errno numbers (asm-generic/errno-base.h), for display as `-22 (EINVAL)`. */
export const ERRNO_NUMBERS: Readonly<Record<Exclude<Errno, 'SIGBUS'>, number>> = {
  EPERM: 1, ENOENT: 2, EIO: 5, ENXIO: 6, E2BIG: 7, EBADF: 9, ENOMEM: 12,
  EFAULT: 14, EBUSY: 16, EEXIST: 17, ENODEV: 19, EINVAL: 22, ENOSPC: 28,
};

export interface Failure {
  readonly ok: false;
  readonly errno: Errno;
  /** The rule that fired, e.g. "priority 7 is reserved (xive_prio_from_guest)". */
  readonly reason: string;
}
export interface Success<T> {
  readonly ok: true;
  readonly value: T;
}
export type Result<T> = Success<T> | Failure;

export function ok<T>(value: T): Success<T> {
  return { ok: true, value };
}
export const OK_VOID: Success<void> = { ok: true, value: undefined };
export function fail(errno: Errno, reason: string): Failure {
  return { ok: false, errno, reason };
}

/** hcall return codes (arch/powerpc/include/asm/hvcall.h). */
export const HCALL_RETURNS = {
  H_SUCCESS: 0,
  H_HARDWARE: -1,
  H_FUNCTION: -2,
  H_PARAMETER: -4,
  H_P2: -55,
  H_P3: -56,
  H_P4: -57,
  H_P5: -58,
  H_UNSUPPORTED: -67,
  /** KVM-internal: the hcall is not handled in the kernel and exits to userspace. */
  H_TOO_HARD: 9999,
} as const;
export type HcallReturn = keyof typeof HCALL_RETURNS;

export interface HcallResult {
  readonly ret: HcallReturn;
  /** Output registers r4, r5, ... as the guest sees them (64-bit). Empty when none are set. */
  readonly r: readonly bigint[];
  /** Why a non-success code was returned (the rule), or a note on what happened. */
  readonly reason?: string;
}

/** RTAS call outcome: status in rets[0] (0 success, -3 any error), further rets after it. */
export interface RtasResult {
  readonly status: number;
  readonly rets: readonly number[];
  readonly reason?: string;
}
