/**
 * `irqlab replay TRACE... [--json] [--max-divergences N]`: streams QEMU
 * traces through the model and reports where they part ways. Exit 0 when
 * they agree, 1 on a divergence, 2 on unusable input.
 */
import { CliIo, escapeControlBytes, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './io';
import { streamTraceLines, TraceFileProblem } from './trace-input';
import { TraceReplayer } from '../trace/replayer';
import { describeSkipReason, SKIP_REASONS } from '../trace/reader';

export const REPLAY_HELP = `usage: irqlab replay [--json] [--max-divergences N] [--] TRACE...

Streams QEMU trace logs (the log backend, -trace 'xive_*' -trace 'spapr_xive_*'
-trace 'xics_*' ...; plain or gzip; several per-thread logs of one run are
merged in time order) through the model (KVM's semantics) and reports each
divergence: the trace line, the operation, QEMU's value, the model's value with
the model's reason, and the state that matters there.

Options:
  --json                print { "lines", "events", "checks", "divergences", "shown": [...], "skipped": {...}, "issues": [...] }
  --max-divergences N   show at most N divergences (default 20; all are counted)

Exit codes: 0 QEMU and the model agree, 1 they diverge, 2 unusable input.
`;

interface ReplayOptions {
  files: string[];
  json: boolean;
  max: number;
}

function parse(args: readonly string[], io: CliIo): ReplayOptions | null {
  const out: ReplayOptions = { files: [], json: false, max: 20 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.files.push(...args.slice(i + 1));
      break;
    }
    if (a === '--json') out.json = true;
    else if (a === '--max-divergences' || a.startsWith('--max-divergences=')) {
      const text = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (text === undefined || !/^\d{1,9}$/.test(text)) {
        io.stderr(`irqlab replay: --max-divergences takes a whole number, not '${escapeControlBytes(text ?? '')}'\n`);
        return null;
      }
      out.max = Number(text);
    } else if (a.startsWith('-') && a !== '-') {
      io.stderr(`irqlab replay: unknown option '${escapeControlBytes(a)}'\n\n${REPLAY_HELP}`);
      return null;
    } else out.files.push(a);
  }
  if (out.files.length === 0) {
    io.stderr(`irqlab replay: no trace file given\n\n${REPLAY_HELP}`);
    return null;
  }
  return out;
}

export async function replayCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(REPLAY_HELP);
    return EXIT_OK;
  }
  const opts = parse(args, io);
  if (!opts) return EXIT_USAGE;
  const replayer = new TraceReplayer({ maxDivergences: opts.max });
  const { unreadable, problems } = await streamTraceLines(opts.files, (file, l) => replayer.feed(file, l.line, l));
  return report(replayer, opts, io, unreadable, problems);
}

function report(r: TraceReplayer, opts: ReplayOptions, io: CliIo, unreadable: readonly TraceFileProblem[], problems: readonly TraceFileProblem[]): number {
  const s = r.summary;
  const unusable = unreadable.length > 0 || s.events === 0;
  const noEvents = unreadable.length === 0 && s.events === 0
    ? `no trace event in ${opts.files.map((f) => `'${escapeControlBytes(f)}'`).join(', ')}: expected QEMU log lines such as '1234@1700000000.123456:xive_source_esb_read @0x10c00 IRQ 0x0 val=0x1' (record with -trace 'xive_*' -trace 'spapr_xive_*' -trace 'xics_*' -D trace.log)`
    : null;
  if (opts.json) {
    io.stdout(`${JSON.stringify({
      lines: s.lines, events: s.events, checks: r.checks, divergences: r.divergenceCount,
      shown: r.divergences,
      skipped: s.skipped,
      issues: s.issues,
      errors: [...unreadable, ...problems].map((p) => p.message).concat(noEvents ? [noEvents] : []),
    }, null, 2)}\n`);
  } else {
    for (const d of r.divergences) {
      io.stdout(`${escapeControlBytes(d.file)}:${d.line}: ${d.event}\n`);
      io.stdout(`  ${d.what}: QEMU ${d.qemu}, model ${d.model}${d.reason ? ` (${d.reason})` : ''}\n`);
      if (d.state) io.stdout(`  state: ${d.state}\n`);
    }
    if (r.divergenceCount > r.divergences.length) io.stdout(`… ${r.divergenceCount - r.divergences.length} more divergence${r.divergenceCount - r.divergences.length === 1 ? '' : 's'} not shown (--max-divergences)\n`);
    for (const i of s.issues) io.stderr(`${escapeControlBytes(i.file)}:${i.line}: ${describeSkipReason(i.reason)}: ${i.message}\n`);
    for (const p of [...unreadable, ...problems]) io.stderr(`irqlab replay: ${p.message}\n`);
    if (noEvents) io.stderr(`irqlab replay: ${noEvents}\n`);
    const skipped = s.describe();
    if (skipped) io.stderr(`${skipped}\n`);
    const hidden = SKIP_REASONS.filter((x) => x !== 'not-trace').reduce((n, x) => n + s.skipped[x], 0) - s.issues.length;
    if (hidden > 0) io.stderr(`(${hidden} more skipped line${hidden === 1 ? '' : 's'} not listed)\n`);
    if (!unusable) {
      io.stdout(`${s.lines} lines, ${s.events} events, ${r.checks} checks: ${r.divergenceCount === 0 ? 'QEMU and the model agree' : `${r.divergenceCount} divergence${r.divergenceCount === 1 ? '' : 's'}`}\n`);
    }
  }
  if (unusable) return EXIT_USAGE;
  return r.divergenceCount > 0 ? EXIT_FAILED : EXIT_OK;
}
