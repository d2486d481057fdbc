/**
 * `irqlab import KIND ...`: evidence → scenario. Kinds are dispatched through
 * IMPORT_KINDS (add one entry per kind: `info-pic` goes here too).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import { createReplay, describeSkips, scenarioHeader, stepToScenarioLines } from '../trace';
import { infoPicExpectations } from '../trace/info-pic-expectations';
import { checkReplayInfoPic } from '../trace/info-pic-check';
import { parseInfoPic } from '../model/info-pic-parse';
import { CliIo, escapeControlBytes, EXIT_FAILED, EXIT_OK, EXIT_USAGE, readTextVia } from './io';
import { findInfoPicMoment } from './info-pic-moment';
import { feedReplay, readerModeFromEnvironment } from './trace-records';

export type ImportHandler = (args: readonly string[], io: CliIo) => Promise<number>;

/** Why OUT could not be written, as a message naming it. */
function describeWriteError(out: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return `cannot write ${escapeControlBytes(out)}: ${escapeControlBytes(err.code ?? String(err.message ?? e))}${err.code ? ` (${escapeControlBytes(err.message)})` : ''}`;
}

/** Output held before the replay waits for the file to take it. */
const OUTPUT_BUFFER_BYTES = 4 << 20;

export const IMPORT_HELP = `Usage: irqlab import qemu-trace TRACE... [-o OUT.irq] [--info-pic DUMP [--at-epoch SECONDS|auto]]
       irqlab import info-pic DUMP [-o OUT.irq]   (irqlab import info-pic --help)

  qemu-trace   a scenario with one statement per traced operation, QEMU's values as
               expectations and a '# file:line' comment back to the trace
  -o OUT.irq   write there (default: stdout)
  --info-pic DUMP   QEMU's dumped final state becomes the scenario's last expectations
               (ONE_REG VP / ICP state, END configuration, ESB PQ loads, XICS source priorities)
  --at-epoch SECONDS  stop before the first line stamped later (the moment of the dump)
  --at-epoch auto     find that moment first (as irqlab replay --at-epoch auto does)
Exit: 0 written, 1 written but the model diverged on some line, 2 unusable input or usage error.
`;

async function importQemuTrace(args: readonly string[], io: CliIo): Promise<number> {
  const files: string[] = [];
  let out: string | null = null;
  let dumpPath: string | null = null;
  let atEpoch: number | 'auto' | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--info-pic') {
      const v = args[++i];
      if (v === undefined) { io.stderr('irqlab import: --info-pic needs an info pic dump file\n'); return EXIT_USAGE; }
      dumpPath = v;
    } else if (a === '--at-epoch') {
      const v = args[++i];
      if (v === 'auto') atEpoch = 'auto';
      else if (v === undefined || !/^\d+(\.\d+)?$/.test(v)) { io.stderr('irqlab import: --at-epoch needs seconds since the epoch, as the trace prints them, or auto\n'); return EXIT_USAGE; }
      else atEpoch = Number(v);
    } else if (a === '-o' || a === '--output') {
      const v = args[++i];
      if (v === undefined) { io.stderr('irqlab import: -o needs a file name\n'); return EXIT_USAGE; }
      out = v;
    } else if (a.startsWith('-')) { io.stderr(`irqlab import: unknown option '${a}'\n\n${IMPORT_HELP}`); return EXIT_USAGE; }
    else files.push(a);
  }
  if (files.length === 0) { io.stderr(`irqlab import: give at least one trace file\n\n${IMPORT_HELP}`); return EXIT_USAGE; }
  if (atEpoch === 'auto' && dumpPath === null) { io.stderr('irqlab import: --at-epoch auto finds when the --info-pic dump was taken: give the dump\n'); return EXIT_USAGE; }
  let dump: ReturnType<typeof parseInfoPic> | null = null;
  let dumpText = '';
  if (dumpPath !== null) {
    const r = readTextVia(io, dumpPath);
    if (!r.ok) { io.stderr(`irqlab import: ${escapeControlBytes(r.message)}\n`); return EXIT_USAGE; }
    dumpText = r.text;
    dump = parseInfoPic(r.text);
    if (!dump.ok) { io.stderr(`irqlab import: ${escapeControlBytes(dumpPath)}:${dump.line}: ${escapeControlBytes(dump.reason)}\n`); return EXIT_USAGE; }
  }
  const names = files.map((f) => basename(f));
  const sink = out === null ? null : createWriteStream(out, { highWaterMark: OUTPUT_BUFFER_BYTES });
  // The first failed write (a full disk): reported once the replay ends.
  let writeError: Error | null = null;
  sink?.on('error', (e) => { writeError ??= e; });
  if (sink !== null) {
    // A file that cannot be created is said before the trace is read.
    try {
      await once(sink, 'open');
    } catch (e) {
      io.stderr(`irqlab import: ${describeWriteError(out ?? '', e)}\n`);
      return EXIT_USAGE;
    }
  }
  let buf: string[] = [];
  const flush = (): void => {
    if (buf.length === 0) return;
    const text = `${buf.join('\n')}\n`;
    buf = [];
    if (sink) { if (writeError === null) sink.write(text); } else io.stdout(text);
  };
  buf.push(scenarioHeader(`QEMU trace ${names.join(' ')}`, names));
  const replay = createReplay(names, {
    onStep: (step) => {
      buf.push(stepToScenarioLines(step, names));
      if (buf.length >= 4096) flush();
    },
  });
  let stopAt: number | null = typeof atEpoch === 'number' ? atEpoch : null;
  if (atEpoch === 'auto') {
    const m = await findInfoPicMoment(files, dumpText, 0);
    if (m.match !== null && Number.isFinite(m.epoch)) {
      stopAt = m.epoch;
      io.stderr(`irqlab import: ${escapeControlBytes(dumpPath ?? '')} is closest to the model after ${escapeControlBytes(files[m.match.file] ?? '?')}:${m.match.line} (stamped ${m.epoch}, ${m.match.check.differences.length} field(s) differ): the scenario stops there\n`);
    } else {
      io.stderr(`irqlab import: no stamped line to stop at was found for ${escapeControlBytes(dumpPath ?? '')}: the whole trace is imported\n`);
    }
  }
  // Written as fast as the disk takes it: the replay waits for the output to drain (memory stays flat).
  // (A failed write ends the wait too: the error is reported when the file is closed.)
  const drained = (): Promise<unknown> | null => (sink !== null && sink.writableNeedDrain ? once(sink, 'drain').catch(() => undefined) : null);
  await feedReplay(files, replay, stopAt, readerModeFromEnvironment(), drained);
  const s = replay.end();
  let dumpDiffers = 0;
  if (dump !== null && dump.ok && dumpPath !== null && !s.unusable) {
    buf.push(infoPicExpectations(dump.dump, s.vm, basename(dumpPath)));
    dumpDiffers = checkReplayInfoPic(dumpText, s.vm).differences.length;
  }
  flush();
  if (sink) {
    await new Promise<void>((resolve) => {
      if (sink.destroyed) { resolve(); return; }
      sink.end((e?: Error | null) => { if (e) writeError ??= e; resolve(); });
    });
    if (writeError !== null) {
      io.stderr(`irqlab import: ${describeWriteError(out ?? '', writeError)}\n`);
      return EXIT_USAGE;
    }
  }
  for (const p of s.problems) io.stderr(`${files[p.file] ?? '?'}:${p.line}: ${p.message}\n`);
  if (s.unusable) { io.stderr(`irqlab import: unusable input: ${s.unusableReason}\n`); return EXIT_USAGE; }
  io.stderr(`irqlab import: ${s.steps} statements from ${s.events} events${out ? ` written to ${out}` : ''}\n`);
  for (const l of describeSkips(s)) io.stderr(`  skipped: ${l}\n`);
  if (s.divergenceCount > 0) {
    io.stderr(`irqlab import: the model diverges from QEMU on ${s.divergenceCount} check(s) (see irqlab replay): those expectations will fail\n`);
    return EXIT_FAILED;
  }
  if (dumpDiffers > 0) {
    io.stderr(`irqlab import: the model's info pic differs from ${escapeControlBytes(dumpPath ?? '')} on ${dumpDiffers} field(s) (irqlab replay --compare-info-pic shows them; --at-epoch stops at the dump's moment): some final expectations will fail\n`);
    return EXIT_FAILED;
  }
  return EXIT_OK;
}

/** `import info-pic DUMP [-o OUT.irq]`: src/cli/import-info-pic-command.ts. */
const importInfoPic: ImportHandler = async (args, io) => (await import('./import-info-pic-command')).importInfoPicCommand(args, io);

/** The import kinds. */
export const IMPORT_KINDS: Record<string, ImportHandler> = {
  'qemu-trace': importQemuTrace,
  'info-pic': importInfoPic,
};

export async function importCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [kind, ...rest] = args;
  if (kind === undefined || kind === '--help' || kind === '-h') { io.stdout(IMPORT_HELP); return kind === undefined ? EXIT_USAGE : EXIT_OK; }
  const handler = Object.prototype.hasOwnProperty.call(IMPORT_KINDS, kind) ? IMPORT_KINDS[kind] : undefined;
  if (!handler) { io.stderr(`irqlab import: unknown kind '${kind}' (${Object.keys(IMPORT_KINDS).join(', ')})\n`); return EXIT_USAGE; }
  return handler(rest, io);
}
