/**
 * `irqlab replay TRACE... [--json] [--max-divergences N] [--info-pic] [--compare-info-pic DUMP]
 * [--at-epoch SECONDS]`: streams QEMU trace
 * files through the model and reports where they part ways. Exit 0 agree,
 * 1 divergence, 2 unusable input or usage error.
 */
import { basename } from 'node:path';
import { createReplay, describeSkips, Divergence, ReplaySummary } from '../trace';
import { checkReplayInfoPic, REPLAY_INFO_PIC_IGNORED, ReplayInfoPicCheck } from '../trace/info-pic-check';
import { findInfoPicMoment } from './info-pic-moment';
import { formatModelInfoPic } from '../model/info-pic';
import { CliIo, escapeControlBytes, EXIT_FAILED, EXIT_OK, EXIT_USAGE, readTextVia } from './io';
import { EpochStop, feedReplay, ReaderMode, readerModeFromEnvironment } from './trace-records';

export const REPLAY_HELP = `Usage: irqlab replay TRACE... [--json] [--max-divergences N]
                           [--info-pic] [--compare-info-pic DUMP] [--at-epoch SECONDS]

Replays QEMU trace logs (log backend, plain or gzip; per-thread logs of one run
are merged by time) against the model and reports each divergence: the trace
line, the operation, QEMU's value, the model's value and reason, and the state.
  --json                 one JSON object on stdout
  --max-divergences N    show at most N divergences (default 20; all are counted)
  --info-pic             print the model's state after the replay in QEMU's \`info pic\` layout
  --compare-info-pic DUMP  (also --info-pic=DUMP) compare QEMU's \`info pic\` DUMP with the
                         model's after the replay; each differing field is a divergence.
                         Set aside, and counted: QEMU's pointers and irqchip line, the OS ring's
                         LSMFB and AGE (ff after QEMU's TCG reset, 0 in a KVM VP), and sources
                         the trace never mentions that the dump shows at their reset state.
  --at-epoch SECONDS     stop before the first line stamped after SECONDS (the trace's
                         TID@SECONDS: prefix): the moment the dump was taken. QEMU keeps
                         tracing after a dump; without it the replay runs to the trace's end.
  --at-epoch auto        with --compare-info-pic: find that moment (the step where the model
                         is closest to the dump, searched over the whole trace) and compare there
A trace of 4 MiB or more is read in a second thread while the model replays it
(IRQLAB_TRACE_READER=thread keeps it on one thread, =worker uses the reader thread always).
Exit: 0 the model agrees, 1 divergence, 2 unusable input or usage error.
`;

export interface ReplayArgs {
  readonly files: string[];
  readonly json: boolean;
  readonly max: number;
  readonly printInfoPic: boolean;
  readonly compareInfoPic: string | null;
  /** 'auto': find the moment the dump was taken (needs compareInfoPic). */
  readonly atEpoch: number | 'auto' | null;
}

export function parseReplayArgs(args: readonly string[]): ReplayArgs | string {
  const files: string[] = [];
  let json = false;
  let max = 20;
  let printInfoPic = false;
  let compareInfoPic: string | null = null;
  let atEpoch: number | 'auto' | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') json = true;
    else if (a === '--info-pic') printInfoPic = true;
    else if (a === '--compare-info-pic' || a.startsWith('--info-pic=')) {
      const v = a.startsWith('--info-pic=') ? a.slice('--info-pic='.length) : args[++i];
      if (v === undefined || v === '') return `${a.startsWith('--info-pic=') ? '--info-pic=' : '--compare-info-pic'} needs an info pic dump file`;
      compareInfoPic = v;
    } else if (a === '--at-epoch') {
      const v = args[++i];
      if (v === 'auto') atEpoch = 'auto';
      else if (v === undefined || !/^\d+(\.\d+)?$/.test(v)) return '--at-epoch needs seconds since the epoch, as the trace prints them (e.g. 1795346595.359016), or auto';
      else atEpoch = Number(v);
    }
    else if (a === '--max-divergences') {
      const v = args[++i];
      if (v === undefined || !/^\d+$/.test(v)) return '--max-divergences needs a number';
      max = Number(v);
    } else if (a.startsWith('--')) return `unknown option '${a}'`;
    else files.push(a);
  }
  if (files.length === 0) return 'give at least one trace file';
  if (atEpoch === 'auto' && compareInfoPic === null) return '--at-epoch auto finds when an info pic dump was taken: give the dump with --compare-info-pic DUMP';
  return { files, json, max, printInfoPic, compareInfoPic, atEpoch };
}

/** Replays the files; the summary, with edge problems (unreadable files) included. */
export async function replayFiles(files: readonly string[], max: number, atEpoch: number | null = null, mode: ReaderMode = readerModeFromEnvironment()): Promise<ReplaySummary & { stoppedAt: EpochStop | null }> {
  const replay = createReplay(files.map((f) => f), { maxDivergences: max });
  const stoppedAt = await feedReplay(files, replay, atEpoch, mode);
  return { ...replay.end(), stoppedAt };
}

function formatInfoPicCheck(c: ReplayInfoPicCheck, dump: string): string[] {
  const out = c.differences.map((d) => `${dump}:${d.line}: info pic differs on ${d.field}\n  QEMU:  ${d.expected}\n  model: ${d.actual}`);
  for (const [field, n] of c.ignored) {
    const why = REPLAY_INFO_PIC_IGNORED.find((r) => r.field === field)?.why ?? '';
    out.push(`  info pic: ${n} difference(s) set aside: ${field} (${why})`);
  }
  return out;
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
  let dumpText: string | null = null;
  if (parsed.compareInfoPic !== null) {
    const r = readTextVia(io, parsed.compareInfoPic);
    if (!r.ok) { io.stderr(`irqlab replay: ${escapeControlBytes(r.message)}\n`); return EXIT_USAGE; }
    dumpText = r.text;
  }
  let s: ReplaySummary & { stoppedAt: EpochStop | null };
  let check: ReplayInfoPicCheck | null;
  /** --at-epoch auto: where the dump was taken (the whole trace is replayed for the rest). */
  let moment: { readonly file: number; readonly line: number; readonly epoch: number } | null = null;
  let modelDump: () => string;
  if (parsed.atEpoch === 'auto' && dumpText !== null) {
    const m = await findInfoPicMoment(parsed.files, dumpText, parsed.max);
    s = { ...m.summary, stoppedAt: null };
    check = m.match === null ? null : m.match.check;
    if (m.match !== null) moment = { file: m.match.file, line: m.match.line, epoch: m.epoch };
    const vm = m.summary.vm;
    modelDump = () => check?.model ?? formatModelInfoPic(vm);
  } else {
    const at = typeof parsed.atEpoch === 'number' ? parsed.atEpoch : null;
    const r = await replayFiles(parsed.files, parsed.max, at);
    s = r;
    check = dumpText !== null && !r.unusable ? checkReplayInfoPic(dumpText, r.vm) : null;
    modelDump = () => formatModelInfoPic(r.vm);
  }
  const diverged = s.divergenceCount > 0 || (check !== null && check.differences.length > 0);
  const code = s.unusable ? EXIT_USAGE : diverged ? EXIT_FAILED : EXIT_OK;
  const stop = s.stoppedAt;
  const momentText = moment === null ? ''
    : `after ${escapeControlBytes(s.files[moment.file] ?? '?')}:${moment.line}${Number.isFinite(moment.epoch) ? ` (stamped ${moment.epoch})` : ''}`;
  if (parsed.json) {
    const extra = {
      stoppedAt: stop === null ? null : { file: s.files[stop.file] ?? '?', line: stop.line, epoch: stop.epoch },
      ...(parsed.printInfoPic ? { infoPic: modelDump() } : {}),
      ...(check === null ? {} : {
        infoPicComparison: {
          dump: parsed.compareInfoPic,
          ...(moment === null ? {} : { takenAfter: { file: s.files[moment.file] ?? '?', line: moment.line, epoch: Number.isFinite(moment.epoch) ? moment.epoch : null } }),
          differences: check.differences.map((d) => ({ line: d.line, field: d.field, qemu: d.expected, model: d.actual })),
          ignored: Object.fromEntries(check.ignored),
        },
      }),
    };
    io.stdout(`${JSON.stringify({ ...(toJson(s) as object), ...extra }, null, 2)}\n`);
    return code;
  }
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
  if (stop !== null) io.stdout(`  stopped at --at-epoch ${parsed.atEpoch}: ${s.files[stop.file] ?? '?'}:${stop.line} (stamped ${stop.epoch}) and later lines were not replayed\n`);
  else if (typeof parsed.atEpoch === 'number') io.stdout(`  --at-epoch ${parsed.atEpoch}: no line is stamped later; the whole trace was replayed\n`);
  if (check !== null && parsed.compareInfoPic !== null) {
    const dump = escapeControlBytes(parsed.compareInfoPic);
    for (const l of formatInfoPicCheck(check, dump)) io.stdout(`${l}\n`);
    const when = moment !== null ? `${momentText}, the closest moment (--at-epoch auto)` : stop !== null ? `at --at-epoch ${parsed.atEpoch}` : 'at the end of the trace';
    io.stdout(`${dump}: ${check.differences.length === 0 ? `the model's info pic ${when} equals QEMU's` : `${check.differences.length} info pic difference(s) ${when}`}\n`);
    if (moment !== null && check.differences.length === 0 && Number.isFinite(moment.epoch)) io.stdout(`  (the dump shows the state after that line: --at-epoch ${moment.epoch} replays to there)\n`);
    if (moment !== null && check.differences.length > 0) io.stdout('  (no step of the trace matches the dump: a dump taken while vCPUs run is not one moment of the trace, and the step with the fewest differing fields need not be when it was taken; give --at-epoch SECONDS if you know it)\n');
    if (check.differences.length > 0 && parsed.atEpoch === null) io.stdout('  (QEMU keeps tracing after a dump: --at-epoch SECONDS stops the replay at the moment the dump was taken, --at-epoch auto finds it)\n');
  } else if (parsed.atEpoch === 'auto') {
    io.stdout(`${escapeControlBytes(parsed.compareInfoPic ?? '')}: no step to compare the dump with\n`);
  }
  if (parsed.printInfoPic) io.stdout(modelDump());
  return code;
}
