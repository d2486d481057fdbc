/**
 * A trace step: one model operation (or one state check) derived from one
 * trace line, in the same terms as the scenario statements that perform it.
 * Steps are small flat records (numbers, a few bigints) so ~1.4M of them fit in
 * a few hundred MiB, and a step can be re-applied to any VM state (checkpoints).
 */
import type { HcallName } from '../model/hcalls';
import type { AccessSize, EsbPage } from '../model/vm';

/** Where a step comes from: an index into the replay's file list and a 1-based line. */
export interface StepSource {
  readonly file: number;
  readonly line: number;
}

/** Presenter registers (OS ring) a trace line states; null = not stated. */
export interface PresenterFacts {
  readonly nsr: number | null;
  readonly cppr: number | null;
  readonly ipb: number | null;
  readonly pipr: number | null;
}

export type TraceStep = StepSource & (
  /** Implied by the trace: KVM_CREATE_DEVICE of the kind its events belong to. */
  | { readonly op: 'device'; readonly kind: 'xive' | 'xics' }
  /** Implied: KVM_ENABLE_CAP on a vCPU first seen in the trace (server = vCPU id). */
  | { readonly op: 'connect'; readonly vcpu: number }
  /** A source QEMU claimed (spapr_xive_claim_irq): KVM_DEV_XIVE_GRP_SOURCE at reset. */
  | { readonly op: 'set-source'; readonly irq: number; readonly lsi: boolean }
  /** A guest hcall; `expect` is r4 when the trace shows the value (H_INT_ESB's load). */
  | { readonly op: 'hcall'; readonly vcpu: number; readonly name: HcallName; readonly args: readonly bigint[]; readonly expect: bigint | null }
  | { readonly op: 'esb-load'; readonly irq: number; readonly page: EsbPage; readonly offset: number; readonly expect: bigint }
  | { readonly op: 'esb-store'; readonly irq: number; readonly page: EsbPage; readonly offset: number; readonly value: bigint }
  | { readonly op: 'tima-load'; readonly vcpu: number; readonly size: AccessSize; readonly offset: number; readonly expect: bigint }
  | { readonly op: 'tima-store'; readonly vcpu: number; readonly size: AccessSize; readonly offset: number; readonly value: bigint }
  /** A device line (spapr_xive_set_irq): KVM_IRQ_LINE. */
  | { readonly op: 'line'; readonly irq: number; readonly level: number }
  /** A presenter event (xive_tctx_notify/accept/set_cppr): QEMU's state after it. */
  | { readonly op: 'check-presenter'; readonly vcpu: number; readonly event: string; readonly facts: PresenterFacts }
  /** XICS: a source QEMU created at reset (not traced): KVM_DEV_XICS_GRP_SOURCES, masked. */
  | { readonly op: 'xics-source'; readonly irq: number; readonly lsi: boolean }
  /** XICS: ibm,set-xive (QEMU's ics_write_xive). */
  | { readonly op: 'rtas'; readonly name: 'ibm,set-xive'; readonly args: readonly number[] }
  /** XICS: KVM_IRQ_LINE as QEMU's KVM backend issues it for an MSI pulse or an LSI level. */
  | { readonly op: 'xics-line'; readonly irq: number; readonly how: 'set' | 'unset' | 'set_level' }
  /** XICS: the ICP state QEMU printed (null = not printed). */
  | { readonly op: 'check-icp'; readonly vcpu: number; readonly event: string; readonly facts: IcpFacts }
);

/** ICP registers (XICS) a trace line states; null = not stated. */
export interface IcpFacts {
  readonly cppr: number | null;
  readonly xisr: number | null;
  readonly ppri: number | null;
  readonly mfrr: number | null;
}

export type StepOp = TraceStep['op'];

/** True for the steps that change the model (not pure checks). */
export function isOperation(s: TraceStep): boolean {
  return s.op !== 'check-presenter' && s.op !== 'check-icp';
}
