/**
 * `irqlab replay TRACE... [--json] [--max-divergences N]`: streams QEMU trace
 * files through the model and reports where they part ways. Exit 0 agree,
 * 1 divergence, 2 unusable input or usage error.
 */
import { basename } from 'node:path';
import { createReplay, describeSkips, Divergence, ReplaySummary } from '../trace';
import { CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './io';
import { readTraceFiles } from './trace-input';

export const REPLAY_HELP = `Usage: irqlab replay TRACE... [--json] [--max-divergences N]

Replays QEMU trace logs (log backend, plain or gzip; per-thread logs of one run
are merged by time) against the model and reports each divergence: the trace
line, the operation, QEMU's value, the model's value and reason, and the state.
  --json                 one JSON object on stdout
  --max-divergences N    show at most N divergences (default 20; all are counted)
Exit: 0 the model agrees, 1 divergence, 2 unusable input or usage error.
`;

export interface ReplayArgs {
  readonly files: string[];
  readonly json: boolean;
  readonly max: number;
}

export function parseReplayArgs(args: readonly string[]): ReplayArgs | string {
  const files: string[] = [];
  let json = false;
  let max = 20;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') json = true;
    else if (a === '--max-divergences') {
      const v = args[++i];
      if (v === undefined || !/^\d+$/.test(v)) return '--max-divergences needs a number';
      max = Number(v);
    } else if (a.startsWith('--')) return `unknown option '${a}'`;
    else files.push(a);
  }
  if (files.length === 0) return 'give at least one trace file';
  return { files, json, max };
}

/** Replays the files; the summary, with edge problems (unreadable files) included. */
export async function replayFiles(files: readonly string[], max: number): Promise<ReplaySummary> {
  const names = files.map((f) => f);
  const replay = createReplay(names, { maxDivergences: max });
  await readTraceFiles(files, (f, l) => replay.pushLine(f, l), (file, line, message) => replay.addProblem({ file, line, message }));
  return replay.end();
}

function formatDivergence(d: Divergence, files: readonly string[]): string {
  const lines = [
    `${files[d.file] ?? '?'}:${d.line}: divergence on ${d.what}`,
    `  operation: ${d.operation}`,
    `  QEMU:  ${d.qemu}`,
    `  model: ${d.model}${d.reason ? ` (${d.reason})` : ''}`,
  ];
  if (d.state) lines.push(`  state: ${d.state}`);
  return lines.join('\n');
}

function toJson(s: ReplaySummary): unknown {
  return {
    files: s.files, lines: s.lines, events: s.events, steps: s.steps, checks: s.checks,
    divergenceCount: s.divergenceCount,
    divergences: s.divergences.map((d) => ({ ...d, file: s.files[d.file] ?? '?' })),
    nonTraceLines: s.nonTraceLines,
    skipped: Object.fromEntries(s.skipped),
    problems: s.problems.map((p) => ({ file: s.files[p.file] ?? '?', line: p.line, message: p.message })),
    unusable: s.unusable, unusableReason: s.unusableReason,
  };
}

export async function replayCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.stdout(REPLAY_HELP); return EXIT_OK; }
  const parsed = parseReplayArgs(args);
  if (typeof parsed === 'string') { io.stderr(`irqlab replay: ${parsed}\n\n${REPLAY_HELP}`); return EXIT_USAGE; }
  const s = await replayFiles(parsed.files, parsed.max);
  const code = s.unusable ? EXIT_USAGE : s.divergenceCount > 0 ? EXIT_FAILED : EXIT_OK;
  if (parsed.json) { io.stdout(`${JSON.stringify(toJson(s), null, 2)}\n`); return code; }
  for (const p of s.problems) io.stderr(`${s.files[p.file] ?? '?'}:${p.line}: ${p.message}\n`);
  if (s.unusable) {
    io.stderr(`irqlab replay: unusable input: ${s.unusableReason}\n`);
    for (const l of describeSkips(s)) io.stderr(`  skipped: ${l}\n`);
    return code;
  }
  for (const d of s.divergences) io.stdout(`${formatDivergence(d, s.files)}\n`);
  if (s.divergenceCount > s.divergences.length) io.stdout(`... ${s.divergenceCount - s.divergences.length} more divergence(s) not shown (--max-divergences)\n`);
  const what = s.files.map((f) => basename(f)).join(', ');
  io.stdout(`${what}: ${s.lines} lines, ${s.events} events, ${s.steps} steps, ${s.checks} checks: ${s.divergenceCount === 0 ? 'the model agrees with QEMU' : `${s.divergenceCount} divergence(s)`}\n`);
  for (const l of describeSkips(s)) io.stdout(`  skipped: ${l}\n`);
  return code;
}
