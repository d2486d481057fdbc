/**
 * Every custom request between the extension, the debug adapter and the
 * language server, typed once. Views and glue import these names; nobody
 * writes a request string by hand.
 */

/** DAP custom request: flip hex/decimal display of values in the Variables pane. */
export const TOGGLE_HEX_REQUEST = 'irqlab/toggleHex';
export interface ToggleHexResponseBody {
  readonly hex: boolean;
}

/** DAP custom request: the routing picture for the interrupt map webview at the current stop. */
export const INTERRUPT_MAP_REQUEST = 'irqlab/interruptMap';
export interface InterruptMapArguments {
  /** Upper bound on sources returned (the map pages large VMs). */
  readonly maxSources?: number;
}
export interface InterruptMapSource {
  readonly irq: number;
  readonly type: 'MSI' | 'LSI';
  /** 'PQ' glossary: '--' ready, 'P-' pending, 'PQ' queued, '-Q' off. */
  readonly pq: string;
  readonly asserted: boolean;
  readonly routed: boolean;
  readonly server: number;
  readonly priority: number;
  readonly summary: string;
  /** Where this source was last configured in the scenario (1-based line), if known. */
  readonly line?: number;
}
export interface InterruptMapQueue {
  readonly server: number;
  readonly priority: number;
  readonly vcpu: number;
  readonly index: number;
  readonly entries: number;
  readonly generation: number;
  /** Entries written and not yet read by the guest's scan. */
  readonly unread: number;
  readonly count: number;
}
export interface InterruptMapPresenter {
  readonly vcpu: number;
  readonly server: number;
  readonly kind: 'icp' | 'vp';
  readonly word: string;
  readonly summary: string;
  readonly running: boolean;
  /** Pending priorities (XIVE IPB bits; XICS the PPRI when XISR ≠ 0). */
  readonly pending: readonly number[];
  readonly cppr: number;
}
export interface InterruptMapResponseBody {
  readonly device: string | null;
  readonly line: number | null;
  readonly step: number;
  readonly sources: readonly InterruptMapSource[];
  readonly totalSources: number;
  readonly queues: readonly InterruptMapQueue[];
  readonly presenters: readonly InterruptMapPresenter[];
}

/** Messages from the interrupt-map webview to the extension (untrusted: validate before use). */
export type MapWebviewMessage =
  | { readonly type: 'reveal-line'; readonly line: number }
  | { readonly type: 'reveal-variable'; readonly path: string }
  | { readonly type: 'ready' };

/** Messages from the extension to the webview. */
export type MapHostMessage =
  | { readonly type: 'update'; readonly map: InterruptMapResponseBody }
  | { readonly type: 'idle'; readonly reason: string };
