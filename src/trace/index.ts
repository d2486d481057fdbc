/**
 * src/trace — QEMU traces of real guests, read and replayed against the model.
 * A pure layer: no vscode, no Node API; callers feed bytes or lines.
 *
 * API (stable; other layers import only from here):
 * - `createByteLineSplitter(maxLineBytes?)` → `{ push(chunk, sink), end(sink), lines }`: bytes →
 *   `sink(bytes, start, end, line, flags)` per line, a range of the chunk (no copy), bounded per
 *   line (`LINE_OVERLONG`, `LINE_UNTERMINATED`); `createLineSplitter` the same as `SplitLine` texts.
 * - `parseTraceLine(text)` → `ParsedLine`: `{ kind:'event', event: TraceEvent }` |
 *   `{ kind:'noise' }` | `{ kind:'foreign', name }` (PowerNV/XIVE2). QEMU 7.2 and current formats.
 *   The replay reads bytes in place (events.ts `scanTraceLine`); `TraceEvent.num(ARG.lisn)` etc.
 * - `stampOf(bytes, start, end)` → the `TID@EPOCH:` seconds of a line, NaN without a stamp.
 * - `createTranslator()` → `{ push(LocatedEvent) → TraceStep[], pushEvent(file, line, event, out),
 *   finish() → TraceStep[], skipped, skippedByReason }`: events → steps; infers the device and
 *   vCPUs (see translate.ts).
 * - `TraceStep` (steps.ts): one model operation or one state check, with `file` (index) and `line`.
 * - `applyStep(vm, step)` → `StepOutcome { checks, divergences: Divergence[] }`: the operation on
 *   the model facade (src/model/vm.ts) and the comparison with QEMU's value. Re-executable from any
 *   VM snapshot (the debugger's checkpoints).
 * - `describeStep(step)` → the scenario statement text of the step (what `irqlab import` writes).
 * - `Divergence { file, line, operation, what, qemu, model, reason, state }`.
 * - `createReplay(files, { maxDivergences?, onStep?, vm? })` → `{ pushBytes(file, bytes, start, end,
 *   line, flags) → bool, pushLine(file, SplitLine) → bool,
 *   addProblem, end() → ReplaySummary, vm }`. `onStep` returning false stops there: replay up to
 *   a line (explain) or collect steps (debugger).
 * - `ReplaySummary { lines, events, steps, checks, divergenceCount, divergences, nonTraceLines,
 *   skipped, problems: InputProblem[], unusable, unusableReason, vm }`; `describeSkips(summary)`.
 * - `EventRecordWriter` / `pushRecords` (event-records.ts): classified lines as transferable
 *   batches, so a reader thread can read while the replay replays (src/cli/trace-records.ts).
 * - `writeScenarioHeader/stepToScenarioLines` (scenario-writer.ts): steps → `.irq` text.
 * The Node edge (files, gzip, per-thread merge) is src/cli/trace-input.ts.
 */
export { createByteLineSplitter, createLineSplitter, DEFAULT_MAX_LINE_BYTES, LINE_OVERLONG, LINE_UNTERMINATED } from './line-splitter';
export type { ByteLineSink, ByteLineSplitter, LineSplitter, SplitLine } from './line-splitter';
export { parseTraceLine, parseArgs, stampOf, latin1, KNOWN_EVENT_PREFIXES, FOREIGN_EVENT_PREFIXES } from './events';
export type { ParsedLine, TraceEvent } from './events';
export { ARG } from './arg-keys';
export type { ArgKey } from './arg-keys';
export { createTranslator } from './translate';
export type { LocatedEvent, Skipped, Translator } from './translate';
export type { TraceStep, StepOp, StepSource, PresenterFacts } from './steps';
export { isOperation } from './steps';
export { applyStep, describeStep } from './apply';
export type { Divergence, StepOutcome } from './apply';
export { createReplay, describeSkips, escapeForMessage } from './replay';
export { EventRecordWriter } from './event-records';
export type { EventRecords } from './event-records';
export { classifyLine, createLineClass } from './line-class';
export type { LineClass } from './line-class';
export { ScannedEvent, TextLineScanner, LINE_EVENT } from './events';
export type { InputProblem, Replay, ReplayOptions, ReplaySummary } from './replay';
export { scenarioHeader, stepToScenarioLines } from './scenario-writer';
