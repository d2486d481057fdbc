/**
 * A scenario FILE given to `irqlab run` or `irqlab check`: its text, or for a
 * large regular file a source that reads it in chunks (src/edge/scenario-file-source.ts),
 * checked and run a window at a time so memory does not grow with the file.
 * A file that must be held whole (it includes files, calls a proc above its
 * definition, or runs with --verbose) is then read whole, bounded as before.
 */
import type { Diagnostic } from '../dsl/ast';
import { diagnoseSource } from '../dsl/diagnose';
import { checkScenarioText, runScenarioStreamed, runScenarioText } from '../dsl/runtime';
import type { RuntimeOptions, ScenarioRunSummary } from '../dsl/runtime';
import { resolveRelative } from '../dsl/runtime/includes';
import type { StepSink } from '../dsl/runtime/run-scenario';
import { MAY_INCLUDE } from '../dsl/runtime/stream-run';
import type { FileScenarioSource, OpenedScenario } from '../edge/scenario-file-source';
import { CliIo, readTextVia } from './io';

export type ScenarioInput =
  | { readonly file: string; readonly text: string; readonly source?: undefined }
  | { readonly file: string; readonly source: FileScenarioSource; readonly text?: undefined };

/** Opens every file first: one that cannot be read (or is not UTF-8) is a usage error before anything runs. */
export function openInputs(command: string, files: readonly string[], io: CliIo): ScenarioInput[] | null {
  const inputs: ScenarioInput[] = [];
  for (const file of files) {
    const r: OpenedScenario = io.openScenario ? io.openScenario(file) : readTextVia(io, file);
    if (!r.ok) {
      io.stderr(`irqlab ${command}: ${r.message}\n`);
      return null;
    }
    inputs.push(r.source ? { file, source: r.source } : { file, text: r.text });
  }
  return inputs;
}

/** The input's whole text, or why it cannot be held whole. */
export function wholeText(input: ScenarioInput): { ok: true; text: string } | { ok: false; message: string } {
  return input.source ? input.source.readWhole() : { ok: true, text: input.text };
}

/** `runScenarioText` of the input with a sink; a large file streams from its source. Errors: a read that failed part-way. */
export function runInput(input: ScenarioInput, options: RuntimeOptions, sink: StepSink): ScenarioRunSummary | { error: string } {
  if (input.source && !sink.step) {
    let streamed: ReturnType<typeof runScenarioStreamed>;
    try {
      streamed = runScenarioStreamed(input.file, input.source, options, sink);
    } catch (e) {
      // The file could not be read through again (it changed since it was opened): said, not half run.
      if (input.source.failure !== null) return { error: input.source.failure };
      throw e;
    }
    if (input.source.failure !== null) return { error: input.source.failure };
    if (streamed) {
      const { statistics, ...summary } = streamed;
      return { ...summary, log: [], streamed: statistics };
    }
  }
  const whole = wholeText(input);
  if (!whole.ok) return { error: whole.message };
  return runScenarioText(input.file, whole.text, options, sink);
}

/** `checkScenarioText` of the input; a large file is checked from its source a window at a time. */
export function checkInput(input: ScenarioInput, options: RuntimeOptions): Diagnostic[] | { error: string } {
  if (input.source) {
    let diagnostics: Diagnostic[] | null = null;
    try {
      // A file that may include another is checked whole, includes loaded with it (as checkScenarioText does).
      diagnostics = diagnoseSource(input.source, input.file, { readFile: options.readFile, resolveInclude: options.resolveInclude ?? resolveRelative }, {
        inspect: (window) => !MAY_INCLUDE.test(window.text),
      });
    } catch {
      // A bug in the windowed checker: the whole-file path reports it.
    }
    if (input.source.failure !== null) return { error: input.source.failure };
    if (diagnostics) return diagnostics;
  }
  const whole = wholeText(input);
  if (!whole.ok) return { error: whole.message };
  return checkScenarioText(input.file, whole.text, options);
}
