/**
 * What `activate` returns: a small, read-only window on the extension's state, used by
 * the end-to-end suite (and by any extension that wants to drive IRQ Lab).
 */
import type { InterruptMapResponseBody } from '../protocol';

export interface ScenarioRunSummary {
  readonly file: string;
  readonly passed: number;
  readonly failed: number;
  /** Parse/check errors that prevented the run (empty when it ran). */
  readonly errors: readonly string[];
  readonly stepLimitHit: boolean;
}

export interface TestRunRecord {
  readonly file: string;
  readonly line: number; // 1-based
  readonly state: 'passed' | 'failed' | 'errored';
  readonly message?: string;
  readonly expected?: string;
  readonly actual?: string;
  /** Where the failure's message links to (uri; a gzipped trace's line is in its decompressed document). */
  readonly location?: string;
}

export interface IrqLabApi {
  /** Wall time `activate` took in this extension host (module loading not included). */
  readonly activationMs: number;
  /** Where activation time went, by part (output channels, test controller, language client, …). */
  readonly activationPhases: Readonly<Record<string, number>>;
  /** Resolves once the language client is running (it starts with the first .irq document; rejects with the start error). */
  languageClientReady(): Promise<void>;
  /** Results of the most recent Test Explorer run, per expectation. */
  lastTestRun(): readonly TestRunRecord[];
  /** Ids of the test items the controller knows (files and, once resolved, expectations). */
  testItemIds(): readonly string[];
  /** The uri opening a top-level test item goes to (a gzipped log's is its decompressed document). */
  testItemUri(id: string): string | undefined;
  /** The last routing picture sent to the interrupt map, and whether the panel is open. */
  interruptMap(): {
    readonly open: boolean; readonly webviewReady: boolean; readonly map: InterruptMapResponseBody | null; readonly updates: number;
    /** What the page last reported drawing: the step, and the tooltips of the links it drew in red (blocked routes). */
    readonly drawn: { readonly step: number; readonly blocked: readonly string[] } | null;
  };
}
