/**
 * Read-only views of model state for the debugger's Variables pane, the
 * interrupt map and `info pic`-style text. Views never change state (XICS-on-
 * XIVE's snapshot-on-first-read GET side effects are NOT triggered here).
 */
import type { LayoutName } from './layouts/table';

export interface SourceView {
  readonly irq: number;
  readonly type: 'MSI' | 'LSI';
  /** XICS: the word GET would return (xics-source). XIVE: the configuration (xive-source-config). */
  readonly layout: LayoutName;
  readonly word: bigint;
  /** PQ in XIVE encoding (P = 2, Q = 1) for both families. */
  readonly pq: number;
  readonly asserted: boolean;
  /** Routed somewhere (not masked). */
  readonly routed: boolean;
  /** Target server and priority when routed. */
  readonly server: number;
  readonly priority: number;
  /** Internal, non-ABI state worth showing (resend, masked_pending, saved priority, eisn ...). */
  readonly extra: Readonly<Record<string, number | boolean>>;
}

export interface QueueView {
  readonly vcpu: number;
  readonly server: number;
  readonly priority: number;
  readonly qaddr: bigint;
  readonly qshift: number;
  /** Next index the hardware writes, and the generation bit it writes there. */
  readonly index: number;
  readonly toggle: number;
  /** Sources targeted at this queue (KVM's per-queue count; never decremented in native mode). */
  readonly count: number;
  readonly entries: number;
  /** EQ_SYNC marked the page dirty. */
  readonly dirty: boolean;
  /** The guest reader's position (for `eq server S priority P -> [...]`). */
  readonly readerIndex: number;
  readonly readerToggle: number;
}

export interface PresenterView {
  readonly vcpu: number;
  readonly server: number;
  readonly layout: 'xics-icp' | 'xive-vp-state';
  /** What ONE_REG GET would return (XIVE: including the backlog IPB), without pulling. */
  readonly word: bigint;
  /** XIVE: context pushed (running) or pulled (stopped). */
  readonly running: boolean;
  /** Internal state: need_resend, out_ee, backlog IPB, ... */
  readonly extra: Readonly<Record<string, number | boolean>>;
}

export interface DeviceView {
  readonly kind: string;
  readonly nrServers: number;
  readonly sourceCount: number;
  readonly counters: Readonly<Record<string, number>>;
}
