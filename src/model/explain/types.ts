/**
 * The shape of a routing explanation: why an interrupt is (not) delivered, as
 * the chain of links it travels (XIVE: source → PQ → configuration → target →
 * event queue → vCPU → CPPR; XICS: ICS → ICP), each with its state, a verdict
 * and the kernel rule it cites. Plain data: the CLI prints it as JSON, the
 * debugger and the language server render it as text.
 */
import type { DeviceKind } from '../state';

export type Verdict = 'ok' | 'blocks' | 'warning';

/** Which step of the path a link is. */
export type LinkKind =
  | 'device' | 'source' | 'pq' | 'config' | 'target' | 'eq' | 'vcpu' | 'cppr'
  | 'ics' | 'icp';

export type FactValue = string | number | boolean;

export interface ExplainLink {
  readonly link: LinkKind;
  /** "EQ 1/6", "source 0x1300", "vCPU 1 CPPR". */
  readonly title: string;
  /** The facts read at this link (names as the Variables pane and `irqlab decode` spell them). */
  readonly state: Readonly<Record<string, FactValue>>;
  readonly verdict: Verdict;
  /** The kernel or QEMU function whose rule decides this link, when one does. */
  readonly rule: string | null;
  readonly reason: string;
  /** Short form for one-line summaries: "EQ 1/6 not configured". */
  readonly short: string;
}

/** Something the user could do next, with the scenario statement that does it when there is one. */
export interface Suggestion {
  readonly text: string;
  readonly statement?: string;
}

/**
 * blocked: a link stops the next event. pending: an event is at the vCPU
 * (in its queue or its pending priorities) and nothing blocks it. ready:
 * nothing is in flight and the next trigger would get through.
 */
export type RouteStatus = 'blocked' | 'pending' | 'ready';

export interface SourceExplanation {
  readonly kind: 'source';
  readonly device: DeviceKind | null;
  readonly irq: number;
  readonly status: RouteStatus;
  /** "delivered…", "pending at vCPU 1", "blocked: EQ 1/6 not configured". */
  readonly summary: string;
  readonly chain: readonly ExplainLink[];
  /** Index in `chain` of the first link that blocks, or null. */
  readonly stoppedAt: number | null;
  /** Where the source's events go, when it is routed. */
  readonly target: { readonly vcpu: number | null; readonly server: number; readonly priority: number } | null;
  readonly next: readonly Suggestion[];
}

/** One priority (XIVE) or interrupt (XICS) waiting at a presenter. */
export interface PendingItem {
  readonly priority: number;
  /** XICS: the latched XISR, 2 for an IPI. XIVE: absent (the guest finds the EISNs in the queue). */
  readonly xisr?: number;
  /** Where it waits: the live IPB, the NVT backlog of a stopped vCPU, the XICS latch, a resend, the MFRR. */
  readonly where: 'ipb' | 'backlog' | 'latch' | 'resend' | 'mfrr';
  /** Passes the CPPR (would be signalled / presented). */
  readonly admitted: boolean;
  readonly reason: string;
}

export interface VcpuExplanation {
  readonly kind: 'vcpu';
  readonly device: DeviceKind | null;
  readonly vcpu: number;
  readonly status: 'signalled' | 'masked' | 'idle' | 'stopped' | 'absent';
  readonly summary: string;
  readonly chain: readonly ExplainLink[];
  readonly pending: readonly PendingItem[];
  /** What the next ACK / H_XIRR would present, and why. */
  readonly presentsNext: { readonly priority: number; readonly xisr?: number; readonly reason: string } | null;
  /** XIVE: the configured queues with unread entries. */
  readonly queues: readonly { readonly priority: number; readonly unread: number; readonly entries: number; readonly index: number; readonly generation: number }[];
  readonly next: readonly Suggestion[];
}

export interface QueueEntryExplanation {
  readonly kind: 'queue-entry';
  readonly server: number;
  readonly priority: number;
  readonly index: number;
  /** The 32-bit word at the slot (generation << 31 | EISN). */
  readonly word: number;
  readonly generation: number;
  readonly eisn: number;
  /** Written and not yet read by the guest's scan. */
  readonly unread: boolean;
  /** Sources whose EISN is this entry's and that route to this queue now. */
  readonly sources: readonly number[];
  /** Filled by the runtime (the model has no history): the step and line that wrote the slot. */
  readonly writtenAt?: { readonly step: number; readonly uri: string; readonly line: number; readonly statement: string; readonly sources: readonly number[] };
  readonly summary: string;
}

export type Explanation = SourceExplanation | VcpuExplanation | QueueEntryExplanation;

export type ExplainResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };
