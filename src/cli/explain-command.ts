/**
 * `irqlab explain FILE (source N | vcpu N | eq S P I) [--at LINE] [--json]`:
 * runs a scenario to a line (default: its end) and explains why a source's
 * interrupt is or is not delivered, a vCPU's presenter, or a queue entry's
 * origin. The explanation is the model's (src/model/explain); this only
 * reads the file, runs it and prints.
 */
import { resolveRelative } from '../dsl/runtime/includes';
import { DEFAULT_MAX_STEPS, ScenarioRuntime } from '../dsl/runtime';
import { explainTarget, ExplainTarget, parseExplainTarget, runToLine, scenarioHistory } from '../dsl/runtime/explain-at';
import { renderExplanation } from '../model/explain';
import { includeReader } from '../edge/include-reader';
import { explainTraceFile } from './explain-trace';
import { CliIo, escapeControlBytes, EXIT_OK, EXIT_USAGE, formatByteSize, MAX_SCENARIO_BYTES, readTextVia } from './io';

export const EXPLAIN_HELP = `usage: irqlab explain [--json] [--at LINE] FILE (source IRQ | vcpu N | eq SERVER PRIORITY INDEX)

Runs the scenario FILE to its end, or until the top-level statement on LINE has run (--at),
and explains:
  source IRQ            the chain the source's events travel (XIVE: source, PQ, configuration,
                        target, event queue, vCPU, CPPR; XICS: ICS, ICP), each link with its
                        state, verdict and kernel rule, the link where they stop, and what to do next
  vcpu N                the vCPU's presenter: what is pending, what is masked, what comes next
  eq SERVER PRIO INDEX  one event-queue entry: its EISN, whether it was read, and the step and
                        line that wrote it
  --at LINE   1-based line; a call, repeat or include on it runs whole
  --json      print { "file", "at": { "line", "step" }, "explanation" }
  --          ends the options (a FILE may then start with '-')

FILE: UTF-8, a regular file or a pipe, at most ${formatByteSize(MAX_SCENARIO_BYTES)}; includes likewise.
A QEMU trace (log backend, plain or .gz) is replayed against the model up to LINE (--at: the
trace lines up to and including it; default: the whole trace), then explained the same way.
Exit codes: 0 explained, 2 usage or input error (missing file, errors in the scenario, LINE outside it).
`;

interface Options {
  json: boolean;
  at: number | null;
  file: string;
  target: ExplainTarget;
}

function parse(args: readonly string[], io: CliIo): Options | null {
  let json = false;
  let at: number | null = null;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      // Everything after `--` is FILE and what to explain, even when it starts with '-'.
      rest.push(...args.slice(i + 1));
      break;
    }
    if (a === '--json') json = true;
    else if (a === '--at' || a.startsWith('--at=')) {
      const text = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      const n = text !== undefined && /^[0-9]+$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n) || n < 1) {
        io.stderr(`irqlab explain: --at needs a line number (1 or more)${text === undefined ? '' : `, not '${escapeText(text)}'`}\n`);
        return null;
      }
      at = n;
    } else if (a.startsWith('--')) {
      io.stderr(`irqlab explain: unknown option ${escapeText(a)}\n\n${EXPLAIN_HELP}`);
      return null;
    } else rest.push(a);
  }
  const [file, ...what] = rest;
  if (file === undefined || what.length === 0) {
    io.stderr(`irqlab explain: give a scenario FILE and what to explain\n\n${EXPLAIN_HELP}`);
    return null;
  }
  const target = parseExplainTarget(what);
  if ('error' in target) {
    io.stderr(`irqlab explain: ${escapeText(target.error)}\n`);
    return null;
  }
  return { json, at, file, target };
}

const escapeText = escapeControlBytes;

/** A QEMU trace (explained through its replay) rather than a scenario. */
function isTraceFile(file: string, text: string): boolean {
  return !/\.irq$/i.test(file) && (/\.gz$/i.test(file) || /^\d+@\d+\.\d+:\w+/m.test(text.slice(0, 4096)));
}

function explainTrace(opts: Options, io: CliIo): number {
  const r = explainTraceFile(opts.file, opts.at, opts.target);
  if (!r.ok) {
    io.stderr(`irqlab explain: ${escapeText(r.error)}\n`);
    return EXIT_USAGE;
  }
  const { line, step, explanation } = r.value;
  if (opts.json) {
    io.stdout(JSON.stringify({ file: opts.file, at: { line: opts.at ?? line, step }, explanation }, null, 2) + '\n');
  } else {
    const where = opts.at !== null ? `after trace line ${opts.at}` : 'at the end of the trace';
    io.stdout(`${escapeText(opts.file)}: ${where} (${step} trace events replayed${line !== null ? `, the last on line ${line}` : ''})\n${renderExplanation(explanation)}\n`);
  }
  return EXIT_OK;
}

export async function explainCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(EXPLAIN_HELP);
    return EXIT_OK;
  }
  const opts = parse(args, io);
  if (!opts) return EXIT_USAGE;
  // A .gz trace is not text: decompressed by the trace reader.
  if (/\.gz$/i.test(opts.file)) return explainTrace(opts, io);
  const read = readTextVia(io, opts.file);
  if (!read.ok) {
    io.stderr(`irqlab explain: ${escapeText(read.message)}\n`);
    return EXIT_USAGE;
  }
  const text = read.text;
  if (isTraceFile(opts.file, text)) return explainTrace(opts, io);
  const includes = includeReader((path) => readTextVia(io, path));
  const { runtime, diagnostics } = ScenarioRuntime.create(opts.file, text, { readFile: includes.readFile, resolveInclude: resolveRelative, maxSteps: DEFAULT_MAX_STEPS });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    for (const d of errors) io.stderr(`${escapeText(opts.file)}:${d.span.line + 1}:${d.span.col + 1}: error: ${escapeText(includes.explain(d.message))} [${d.code}]\n`);
    return EXIT_USAGE;
  }
  const lines = text.split('\n').length;
  if (opts.at !== null && opts.at > lines) {
    io.stderr(`irqlab explain: --at ${opts.at} is past the end of ${escapeText(opts.file)} (${lines} lines)\n`);
    return EXIT_USAGE;
  }
  if (opts.at === null) runtime.runToEnd();
  else runToLine(runtime, opts.at - 1);
  if (runtime.stepLimitHit) io.stderr(`irqlab explain: the scenario reached the step limit (${DEFAULT_MAX_STEPS} statements); explaining the state there\n`);
  const r = explainTarget(scenarioHistory(runtime), opts.target);
  if (!r.ok) {
    io.stderr(`irqlab explain: ${escapeText(r.error)}\n`);
    return EXIT_USAGE;
  }
  const lastLine = runtime.lastOutcome?.kind === 'executed' ? runtime.lastOutcome.location.line + 1 : null;
  const at = { line: opts.at ?? lastLine, step: runtime.stepCount };
  if (opts.json) {
    io.stdout(JSON.stringify({ file: opts.file, at, explanation: r.value }, null, 2) + '\n');
  } else {
    io.stdout(`${escapeText(opts.file)}: ${opts.at !== null ? `after line ${opts.at}` : 'at the end'} (step ${at.step})\n${renderExplanation(r.value)}\n`);
  }
  return EXIT_OK;
}
