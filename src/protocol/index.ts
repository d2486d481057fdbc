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
  /** The routing explanation's one line: "pending at vCPU 1", "blocked: EQ 1/6 not configured". */
  readonly route?: string;
  /** The link where the source's events stop, when one does: the map draws it in red with the reason as its tooltip. */
  readonly blocked?: InterruptMapBlock;
}
/**
 * Where on the map a source's route stops: at the source itself (not declared,
 * PQ, masked), on its edge to the event queue (no target vCPU, queue off or
 * full), or on the queue's edge to the presenter (vCPU stopped, CPPR).
 */
export interface InterruptMapBlock {
  readonly at: 'source' | 'queue' | 'presenter';
  /** The explanation's link kind (`pq`, `eq`, `cppr`, `icp`, ...). */
  readonly link: string;
  readonly short: string;
  /** The reason with its kernel rule, for the tooltip. */
  readonly reason: string;
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
  | { readonly type: 'ready' }
  /** The page drew the map of `step`; `blocked` are the tooltips of the links it drew in red. */
  | { readonly type: 'drawn'; readonly step: number; readonly blocked: readonly string[] };

/** Messages from the extension to the webview. */
export type MapHostMessage =
  | { readonly type: 'update'; readonly map: InterruptMapResponseBody }
  | { readonly type: 'idle'; readonly reason: string };

/**
 * LSP custom request (the "IRQ Lab: Decode 64-bit word" command): decode a word
 * as one layout, or as every layout when none is given. `word` is the text the
 * user selected or typed: 0x hex, 0b binary or decimal, `_` separators allowed.
 */
export const DECODE_WORD_REQUEST = 'irqlab/decodeWord';
export interface DecodeWordParams {
  readonly word: string;
  /** A layout name (`xive-source-config`, ...); all layouts when absent. */
  readonly layout?: import('../model/layouts/table').LayoutName;
  /** Bit numbering for the markdown; default the server's `irqlab.hover.bitNumbering`. */
  readonly numbering?: 'lsb0' | 'msb0';
}
export interface DecodedWordField {
  readonly name: string;
  /** `[39:32]` in the requested numbering. */
  readonly bits: string;
  readonly value: number;
  readonly hex: string;
  /** The named value or the kernel's rejection, when there is one. */
  readonly meaning?: string;
}
export interface DecodedWordLayout {
  readonly layout: import('../model/layouts/table').LayoutName;
  readonly title: string;
  /** The word masked to the layout's width, `0x` + 16 (or 8) hex digits. */
  readonly word: string;
  /** `prio=5 server=3 masked eisn=0x1300` */
  readonly summary: string;
  readonly markdown: string;
  readonly fields: readonly DecodedWordField[];
  /** What the kernel would reject in this word (e.g. priority 7). */
  readonly rejections: readonly string[];
}
export type DecodeWordResult =
  | { readonly ok: true; readonly word: string; readonly markdown: string; readonly decodes: readonly DecodedWordLayout[] }
  | { readonly ok: false; readonly message: string };

/**
 * "Explain at this line": the language server runs the scenario to a line and
 * explains a source's route (or a vCPU's presenter, or a queue entry) there.
 * The server offers it as a code action on a source or vCPU number (command
 * EXPLAIN_AT_LINE_COMMAND, whose argument is the params); the client command
 * sends this request (it runs the scenario, so only in a trusted workspace).
 */
export const EXPLAIN_AT_LINE_REQUEST = 'irqlab/explainAtLine';
export const EXPLAIN_AT_LINE_COMMAND = 'irqlab.explainAtLine';
export interface ExplainAtLineParams {
  readonly uri: string;
  /** 0-based line: the top-level statement on it runs, then the state is explained. */
  readonly line: number;
  readonly target: import('../dsl/runtime/explain-at').ExplainTarget;
}
export type ExplainAtLineResult =
  | {
    readonly ok: true;
    /** 1-based line and the step count where the state was taken. */
    readonly line: number;
    readonly step: number;
    readonly summary: string;
    /** The rendered explanation (plain text). */
    readonly text: string;
    readonly explanation: import('../model/explain').Explanation;
  }
  | { readonly ok: false; readonly message: string };
