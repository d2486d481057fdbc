/**
 * Words of the language that are not keywords and not layout fields, with the
 * short explanations hovers and completion show: the EQ struct fields, hcall
 * argument and output register names, errno and hcall return meanings (as this
 * kernel code uses them, spec Appendix A), RTAS calls.
 */
import { HCALLS, HCALL_NAMES, RTAS_CALLS, RtasName } from '../model/hcalls';
import { Errno, HcallReturn } from '../model/result';

/** `struct kvm_ppc_xive_eq` members, the field block of `set/get eq_config` (spec §3.6.2). */
export const EQ_STRUCT_FIELD_DOCS: Readonly<Record<string, string>> = {
  flags: '`KVM_XIVE_EQ_ALWAYS_NOTIFY` (1) is the only accepted flag; any other value → -EINVAL',
  qshift: 'queue size as log2 of bytes: 0 (reset the queue) or 16 (64 KiB); anything else → -EINVAL',
  qaddr: 'guest real address of the queue page; must be aligned to the queue size and backed by RAM',
  qtoggle: 'generation bit the hardware writes next (restored on migration)',
  qindex: 'index of the next entry the hardware writes (restored on migration)',
};
export const EQ_STRUCT_FIELDS: readonly string[] = Object.keys(EQ_STRUCT_FIELD_DOCS);

/** Names in `-> { ... }` after hcalls (r4...) and RTAS calls (status, r1, r2). */
export const OUTPUT_REGISTER_DOCS: Readonly<Record<string, string>> = {
  r4: 'first hcall output register', r5: 'second hcall output register', r6: 'third hcall output register',
  r7: 'fourth hcall output register', status: 'RTAS status (rets[0]): 0 success, -3 any error',
  r1: 'RTAS rets[1]', r2: 'RTAS rets[2]',
};
export const OUTPUT_REGISTER_NAMES: readonly string[] = Object.keys(OUTPUT_REGISTER_DOCS);

export const HCALL_ARG_NAMES: readonly string[] = [
  ...new Set(HCALL_NAMES.flatMap((n) => [...HCALLS[n].args])),
].sort();

/** What each errno means in this kernel code (spec Appendix A). */
export const ERRNO_DOCS: Readonly<Record<Errno, string>> = {
  EPERM: 'ENABLE_CAP with an fd that is not this VM\'s interrupt device (wrong ops or another VM); VP_STATE access when the vCPU is not in XIVE-native mode.',
  ENOENT: 'no such object: XICS source outside any ICS block or never set; XIVE source block missing; EQ_CONFIG on an unknown server; ICP state set with no presenter/device.',
  EIO: 'firmware (OPAL) failure while configuring an event queue.',
  ENXIO: 'get on a write-only or unknown attribute; ONE_REG state of a vCPU without a presenter; XICS NR_SERVERS on the legacy device; XIVE not available for ENABLE_CAP.',
  E2BIG: 'XIVE source number outside the device\'s interrupt number space.',
  EBADF: 'ENABLE_CAP with a file descriptor that is not open.',
  ENOMEM: 'allocation of a source block failed.',
  EFAULT: 'the attribute\'s `addr` is not readable/writable user memory (`badaddr` in a scenario).',
  EBUSY: 'vCPU already connected; NR_SERVERS after VPs are allocated; SOURCE_CONFIG when no event queue exists for the target (kvmppc_xive_select_target); VP_STATE set while the context is pushed.',
  EEXIST: 'a device of this family already exists; two vCPUs connected as the same server.',
  ENODEV: 'the XIVE device type is not registered on this host (no XIVE / no firmware support).',
  EINVAL: 'a value the kernel refuses: priority 7 (reserved for escalation), unknown server, flags ≠ ALWAYS_NOTIFY, qshift ∉ {0, 16}, misaligned queue page, server out of range, inconsistent ICP state.',
  ENOSPC: 'no VP (virtual processor) block left to connect another vCPU.',
  SIGBUS: 'not an errno: a guest MMIO access to an unmapped ESB/TIMA page (HW/HV/USER TIMA page, invalid source ESB) is answered with SIGBUS.',
};

export const HCALL_RETURN_DOCS: Readonly<Record<HcallReturn, string>> = {
  H_SUCCESS: 'the hcall succeeded (0).',
  H_HARDWARE: '-1: no ICP/device behind a XICS hcall, or KVM failed underneath QEMU\'s H_INT_* layer.',
  H_FUNCTION: '-2: the hcall is not available: XIVE exploitation not negotiated, or the OS reporting-line calls QEMU does not implement.',
  H_PARAMETER: '-4: bad flags (H_INT_*), unknown server for H_IPI/H_IPOLL, unknown source block for H_EOI.',
  H_P2: '-55: bad second argument: LISN (source calls) or target (queue calls).',
  H_P3: '-56: bad third argument: target (source config), reserved priority (queue calls), ESB offset (H_INT_ESB).',
  H_P4: '-57: bad fourth argument: reserved priority (source config) or queue page.',
  H_P5: '-58: bad fifth argument: queue size.',
  H_UNSUPPORTED: '-67: unsupported request.',
  H_TOO_HARD: '9999: KVM-internal — the hcall leaves real mode and is handled in virtual mode/userspace; never guest-visible.',
};

export const RTAS_DOCS: Readonly<Record<RtasName, string>> = {
  'ibm,set-xive': 'set a source\'s server and priority (and the saved priority); delivers if it was masked-pending or awaiting resend. Status -3 if the target ICP is missing, even for priority 0xff. Spec §2.6.7.',
  'ibm,get-xive': 'read a source\'s server (r1) and current priority (r2, 0xff when masked). Spec §2.6.7.',
  'ibm,int-off': 'mask: priority := 0xff, saved := the *current* priority (a second int-off saves 0xff and loses the original). Spec §2.6.7.',
  'ibm,int-on': 'unmask: priority := saved; the target ICP must exist (else status -3); delivers if masked-pending/resend. Spec §2.6.7.',
};

export function rtasSignature(name: RtasName): string {
  return `rtas ${name} ${RTAS_CALLS[name].args.join(' ')}`;
}
