/**
 * Parse + check of a generated 100,000-line scenario (target ≤ 150 ms) as
 * `irqlab check` does it (no tree kept), the same with the whole tree kept,
 * and format alone for comparison; the incremental analyzer's
 * diagnostics after a one-character edit (target ≤ 100 ms). The scenario mixes every
 * common statement so the lexer, the parser, the scope walk and the word
 * rules all do their share.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { median, Report, timeMs } from './run';
import { check, createIncrementalAnalyzer, diagnose, formatText, parse } from '../src/dsl';

export const LINES = 100_000;

export function generateScenario(lines: number): string {
  const head = [
    'scenario "generated"',
    'let uart = 0x1300',
    'device xive',
    'ctrl nr_servers 64',
    'proc route(irq, target, prio) {',
    '  set source_config irq = { priority prio, server target, eisn irq }',
    '}',
  ];
  for (let v = 0; v < 16; v++) head.push(`vcpu ${v} connect server ${v}`);
  const body = [
    (i: number) => `set source ${0x1000 + i} = 0x0                      # create`,
    (i: number) => `set source_config ${0x1000 + i} = 0x0000_${(0x26 + (i & 0xff)).toString(16).padStart(4, '0')}_0000_000e -> EBUSY`,
    (i: number) => `set eq_config server ${i & 15} priority 6 = { flags always_notify, qshift 16, qaddr 0x${(0x10000 * ((i & 15) + 1)).toString(16)}, qtoggle 1, qindex 0 }`,
    (i: number) => `call route(uart + ${i & 1023}, ${i & 15}, 6)`,
    (i: number) => `esb ${0x1000 + i} load 0xc00 -> 1`,
    (i: number) => `tima vcpu ${i & 15} store8 0x11 0xff`,
    (i: number) => `eq server ${i & 15} priority 6 -> [0x8000_1300]`,
    (i: number) => `tima vcpu ${i & 15} load16 0x810 -> 0x8006`,
    (i: number) => `get vp vcpu ${i & 15} -> { cppr 6, pipr 0xff }`,
    (i: number) => `hcall vcpu ${i & 15} H_INT_SET_SOURCE_CONFIG flags 0x2, lisn uart, target 1, priority 6, eisn ${i} -> H_SUCCESS`,
  ];
  const out = head.slice();
  for (let i = 0; out.length < lines; i++) out.push(body[i % body.length](i));
  return out.join('\n') + '\n';
}

function cpuMs(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** A child process that generates the scenario, then times its first `diagnose`. */
function firstRunInFreshProcessMs(): number {
  const child = `const { diagnose } = require(${JSON.stringify(join(__dirname, '../src/dsl'))});
const { generateScenario } = require(${JSON.stringify(__filename)});
const text = generateScenario(${LINES});
const t0 = process.hrtime.bigint();
diagnose(text);
process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));`;
  return Number(execFileSync(process.execPath, ['-e', child], { encoding: 'utf8' }));
}

/** What this machine charges for a million small long-lived objects (the parse builds about two million), to read the figures against. */
export function allocationCalibrationMs(): number {
  return timeMs(() => {
    const keep: { a: number; b: number }[] = new Array(1_000_000);
    for (let i = 0; i < keep.length; i++) keep[i] = { a: i, b: i };
  });
}

export default async function bench(report: Report): Promise<void> {
  const text = generateScenario(LINES);
  // A let on the last line changes the facts every batch was checked under: the whole file is checked twice.
  const lateLet = text + 'let late = 0x1300\n';
  // Warm up the JIT the way an editor session would. The kept-tree figures come last: two million
  // nodes turned garbage would otherwise be collected inside the figures measured after them.
  for (let i = 0; i < 2; i++) diagnose(text);
  // `irqlab check`'s path: every statement parsed and checked, a batch at a time, no tree kept.
  report('dsl-parse-check-100k-lines', await median(7, () => timeMs(() => diagnose(text))), 'ms');
  // CPU time of this process (GC threads included): steadier than wall time on a shared, loaded machine.
  report('dsl-parse-check-100k-lines-cpu', await median(7, () => cpuMs(() => diagnose(text))), 'ms');
  report('dsl-parse-check-100k-lines-late-let', await median(5, () => timeMs(() => diagnose(lateLet))), 'ms');
  // What one `irqlab check` of the file costs in a fresh process: the code not yet optimised, the heap not yet grown.
  report('dsl-parse-check-100k-lines-first-run-in-fresh-process', await median(3, firstRunInFreshProcessMs), 'ms');
  // The whole tree kept, as the runtime and a full language-server analysis hold it.
  check(parse(text));
  report('dsl-parse-tree-100k-lines', await median(5, () => timeMs(() => parse(text))), 'ms');
  report('dsl-parse-tree-check-100k-lines', await median(5, () => timeMs(() => check(parse(text)))), 'ms');
  // The editor's path: diagnostics of the same file after a one-character edit (typed, then removed), incremental.
  const analyzer = createIncrementalAnalyzer('file:///bench-100k.irq');
  analyzer.update(text);
  const at = text.indexOf('\nset source_config', text.length >> 1) + 4;
  const edited = text.slice(0, at) + 't' + text.slice(at);
  let typed = false;
  report('dsl-incremental-diagnostics-after-1-char-edit-100k-lines', await median(9, () => {
    typed = !typed;
    const next = typed ? edited : text;
    return timeMs(() => analyzer.update(next));
  }), 'ms');
  report('dsl-format-100k-lines', await median(3, () => timeMs(() => formatText(text))), 'ms');
  report('dsl-calibration-1M-objects', await median(5, allocationCalibrationMs), 'ms');
}

/** The harness (bench/run.ts) calls the default export; `run` is the same function under the contract's name. */
export const run = bench;

if (require.main === module) {
  const report: Report = (name, value, unit) => console.log(`${name}: ${value.toFixed(1)} ${unit}`);
  bench(report).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
