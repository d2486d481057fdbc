/**
 * `irqlab run FILE...` runs scenarios and prints one line per expectation;
 * `irqlab check FILE...` prints diagnostics only. Lines are `file:line:col:`
 * (1-based) so editors and terminals link them.
 */
import type { Diagnostic } from '../dsl/ast';
import { resolveRelative } from '../dsl/runtime/includes';
import { DEFAULT_MAX_STEPS } from '../dsl/runtime';
import type { StepOutcome } from '../dsl/runtime';
import { includeReader as boundedIncludeReader, IncludeReader } from '../edge/include-reader';
import { formatModelInfoPic } from '../model/info-pic';
import { CliIo, escapeControlBytes, EXIT_FAILED, EXIT_OK, EXIT_USAGE, formatByteSize, MAX_SCENARIO_BYTES, readTextVia } from './io';
import { checkInput, openInputs, runInput, ScenarioInput, wholeText } from './scenario-input';
import { verboseStepLines } from './verbose-run';

export const RUN_HELP = `usage: irqlab run [--json] [--quiet] [--verbose] [--max-steps N] [--info-pic] [--] FILE...

Runs each scenario and prints one line per expectation, 'file:line:col: ok|FAIL message',
the scenario's log lines, then a summary 'N passed, N failed'.
  --json          print { "passed", "failed", "results": [ { "file", "line", "col", "ok", "message" } ] }
  --quiet, -q     print only failures, diagnostics and the summary
  --verbose, -v   print every statement with its result, and a 'note:' line for each silent
                  effect (a trigger dropped by PQ 01, a silent retarget, an event left in IPB
                  without NSR, ...) naming the event and the kernel rule
  --max-steps N   stop a scenario after N statements (default ${DEFAULT_MAX_STEPS}); reaching it fails the run
  --info-pic      at the end of each scenario, print the model's state in QEMU's "info pic" layout
  --              end of options: every later argument is a FILE
FILE: UTF-8, a regular file or a pipe (e.g. <(...)), at most ${formatByteSize(MAX_SCENARIO_BYTES)}; includes likewise.

Exit codes: 0 every expectation held, 1 one failed (or the step limit was reached),
2 a file is missing, does not parse or does not check (errors printed like a compiler's).
`;

export const CHECK_HELP = `usage: irqlab check [--json] [--] FILE...

Parses and checks each scenario without running it; prints 'file:line:col: error|warning: message [code]'.
  --json   print { "errors", "warnings", "diagnostics": [ { "file", "line", "col", "severity", "message", "code" } ] }
  --       end of options: every later argument is a FILE
FILE: UTF-8, a regular file or a pipe (e.g. <(...)), at most ${formatByteSize(MAX_SCENARIO_BYTES)}; includes likewise.

Exit codes: 0 no errors, 1 a file has errors, 2 a file is missing or the usage is wrong.
`;

interface Options {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  maxSteps: number;
  files: string[];
  infoPic?: boolean;
}

function parseOptions(command: 'run' | 'check', args: readonly string[], io: CliIo): Options | null {
  const help = command === 'run' ? RUN_HELP : CHECK_HELP;
  const out: Options = { json: false, quiet: false, verbose: false, maxSteps: DEFAULT_MAX_STEPS, files: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    // `--` ends the options: every later argument is a FILE, even one that starts with '-'.
    if (a === '--') {
      out.files.push(...args.slice(i + 1));
      break;
    }
    if (a === '--json') out.json = true;
    else if (command === 'run' && (a === '--quiet' || a === '-q')) out.quiet = true;
    else if (command === 'run' && (a === '--verbose' || a === '-v')) out.verbose = true;
    else if (command === 'run' && a === '--info-pic') out.infoPic = true;
    else if (command === 'run' && (a === '--max-steps' || a.startsWith('--max-steps='))) {
      const text = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      const n = text !== undefined && /^[0-9][0-9_]*$/.test(text) ? Number(text.replace(/_/g, '')) : NaN;
      if (!Number.isSafeInteger(n) || n < 1) {
        io.stderr(`irqlab run: --max-steps needs a positive integer${text === undefined ? '' : `, not '${escapeControlBytes(text)}'`}\n`);
        return null;
      }
      out.maxSteps = n;
    } else if (a.startsWith('-') && a !== '-') {
      io.stderr(`irqlab ${command}: unknown option ${escapeControlBytes(a)}\n\n${help}`);
      return null;
    } else out.files.push(a);
  }
  if (out.files.length === 0) {
    io.stderr(`irqlab ${command}: give at least one scenario FILE\n\n${help}`);
    return null;
  }
  return out;
}

/** Includes are read like the scenario (bounded), once each, and a refusal says why. */
const includeReader = (io: CliIo): IncludeReader => boundedIncludeReader((path) => readTextVia(io, path));

function diagnosticLine(file: string, d: Diagnostic, includes?: IncludeReader): string {
  return `${escapeControlBytes(file)}:${d.span.line + 1}:${d.span.col + 1}: ${d.severity}: ${escapeControlBytes(includes?.explain(d.message) ?? d.message)} [${d.code}]`;
}

function diagnosticJson(file: string, d: Diagnostic, includes?: IncludeReader): Record<string, unknown> {
  return { file, line: d.span.line + 1, col: d.span.col + 1, severity: d.severity, message: includes?.explain(d.message) ?? d.message, code: d.code };
}

/** `--help` asks for help only among the options, not as a FILE after `--`. */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  const options = end < 0 ? args : args.slice(0, end);
  return options.includes('--help') || options.includes('-h');
}

interface JsonResult {
  file: string;
  line: number;
  col: number;
  ok: boolean;
  message: string;
  expected?: string;
  actual?: string;
}

/** --verbose: each step printed as it runs, with its verdict or log line after it. */
function verboseStepPrinter(file: string, text: string, readFile: (uri: string) => string | undefined, out: string[], flush: () => void): (o: StepOutcome) => void {
  const texts = new Map<string, string | undefined>([[file, text]]);
  const readText = (uri: string): string | undefined => {
    if (!texts.has(uri)) texts.set(uri, readFile(uri));
    return texts.get(uri);
  };
  return (o) => {
    if (o.kind !== 'executed') return;
    const where = `${o.location.uri}:${o.location.line + 1}:${o.location.col + 1}`;
    const lines = o.stmt.kind === 'log' ? [`${where}: log ${o.result.display}`] : verboseStepLines(o, readText);
    if (o.expectation) lines.push(`${where}: ${o.expectation.ok ? 'ok' : 'FAIL'} ${o.expectation.message}`);
    for (const l of lines) out.push(escapeControlBytes(l));
    if (out.length >= 256) flush();
  };
}

export async function runCommand(args: string[], io: CliIo): Promise<number> {
  if (asksForHelp(args)) {
    io.stdout(RUN_HELP);
    return EXIT_OK;
  }
  const opts = parseOptions('run', args, io);
  if (!opts) return EXIT_USAGE;
  // Every file opened first: a missing one is a usage error before anything runs.
  const inputs = openInputs('run', opts.files, io);
  if (!inputs) return EXIT_USAGE;
  let passed = 0;
  let failed = 0;
  let broken = false;
  const results: JsonResult[] = [];
  const diagnostics: Record<string, unknown>[] = [];
  const out: string[] = [];
  const infoPics: string[] = [];
  const includes = includeReader(io);
  // A long scenario streams: its lines are printed as they come, not held (the JSON output is printed whole).
  const flush = (): void => {
    if (!opts.json && out.length) io.stdout(out.join('\n') + '\n');
    out.length = 0;
  };
  let resultsOmitted = 0;
  for (let input of inputs) {
    const file = input.file;
    let verbose: ((o: StepOutcome) => void) | undefined;
    if (opts.verbose && !opts.json) {
      // Every step printed with its text: the file is held whole.
      const whole = wholeText(input);
      if (!whole.ok) {
        flush();
        io.stderr(`irqlab run: ${whole.message}\n`);
        return EXIT_USAGE;
      }
      input = { file, text: whole.text } satisfies ScenarioInput;
      verbose = verboseStepPrinter(file, whole.text, includes.readFile, out, flush);
    }
    const run = runInput(input, { readFile: includes.readFile, resolveInclude: resolveRelative, maxSteps: opts.maxSteps }, {
      diagnostics: (found) => {
        for (const d of found) {
          out.push(diagnosticLine(file, d, includes));
          diagnostics.push(diagnosticJson(file, d, includes));
        }
      },
      // Every expectation result and every `log` line, in execution order (--verbose prints them with each step).
      log: (entries) => {
        for (const entry of verbose ? [] : entries) {
          if (entry.kind === 'step' || (opts.quiet && (entry.kind === 'log' || entry.kind === 'expect-pass'))) continue;
          const where = `${escapeControlBytes(entry.location.uri)}:${entry.location.line + 1}:${entry.location.col + 1}`;
          const word = entry.kind === 'log' ? 'log' : entry.kind === 'expect-pass' ? 'ok' : 'FAIL';
          out.push(`${where}: ${word} ${escapeControlBytes(entry.text)}`);
          for (const n of entry.notes ?? []) out.push(`  note: ${escapeControlBytes(n)}`);
        }
        flush();
      },
      ...(verbose ? { step: verbose } : {}),
    });
    if ('error' in run) {
      // A large file that could not be read through again (it changed), or must be held whole and is too large.
      flush();
      io.stderr(`irqlab run: ${run.error}\n`);
      return EXIT_USAGE;
    }
    if (run.diagnostics.some((d) => d.severity === 'error')) {
      broken = true;
      continue;
    }
    resultsOmitted += run.resultsOmitted ?? 0;
    for (const r of run.results) {
      results.push({
        file: r.uri, line: r.line + 1, col: r.col + 1, ok: r.ok, message: r.message,
        ...(r.expected !== undefined ? { expected: r.expected } : {}),
        ...(r.actual !== undefined ? { actual: r.actual } : {}),
      });
    }
    // QEMU's `info pic` layout of the machine where the run ended (src/model/info-pic.ts).
    if (opts.infoPic && run.vm) infoPics.push(`${escapeControlBytes(file)}: info pic\n${formatModelInfoPic(run.vm)}`);
    passed += run.passed;
    failed += run.failed;
    if (run.stepLimitHit) {
      failed++;
      const message = run.stepLimitMessage ?? 'step limit reached';
      out.push(`${escapeControlBytes(file)}: FAIL ${escapeControlBytes(message)}`);
      results.push({ file, line: 0, col: 0, ok: false, message });
    }
  }
  if (opts.json) {
    io.stdout(JSON.stringify({ passed, failed, results, ...(resultsOmitted ? { resultsOmitted } : {}), ...(diagnostics.length ? { diagnostics } : {}), ...(opts.infoPic ? { infoPic: infoPics } : {}) }, null, 2) + '\n');
  } else {
    flush();
    for (const p of infoPics) io.stdout(p);
    io.stdout(broken ? `${passed} passed, ${failed} failed; errors in scenario files (not run)\n` : `${passed} passed, ${failed} failed\n`);
  }
  if (broken) return EXIT_USAGE;
  return failed > 0 ? EXIT_FAILED : EXIT_OK;
}

export async function checkCommand(args: string[], io: CliIo): Promise<number> {
  if (asksForHelp(args)) {
    io.stdout(CHECK_HELP);
    return EXIT_OK;
  }
  const opts = parseOptions('check', args, io);
  if (!opts) return EXIT_USAGE;
  const inputs = openInputs('check', opts.files, io);
  if (!inputs) return EXIT_USAGE;
  let errors = 0;
  let warnings = 0;
  const lines: string[] = [];
  const json: Record<string, unknown>[] = [];
  const includes = includeReader(io);
  for (const input of inputs) {
    const file = input.file;
    const diagnostics = checkInput(input, { readFile: includes.readFile, resolveInclude: resolveRelative });
    if ('error' in diagnostics) {
      io.stderr(`irqlab check: ${diagnostics.error}\n`);
      return EXIT_USAGE;
    }
    for (const d of diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      lines.push(diagnosticLine(file, d, includes));
      json.push(diagnosticJson(file, d, includes));
    }
  }
  if (opts.json) {
    io.stdout(JSON.stringify({ errors, warnings, diagnostics: json }, null, 2) + '\n');
  } else {
    if (lines.length) io.stdout(lines.join('\n') + '\n');
    io.stdout(`${inputs.length} file${inputs.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  }
  return errors > 0 ? EXIT_FAILED : EXIT_OK;
}
