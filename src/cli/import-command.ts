/**
 * `irqlab import qemu-trace TRACE... [-o OUT.irq]`: a readable scenario from
 * a QEMU trace, one statement per operation the replay performs, QEMU's
 * values as expectations, each statement followed by a comment naming its
 * trace file and line. Streamed: the trace is read and the scenario written
 * as they go. `irqlab import info-pic` is handed to its own command when it
 * exists.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { CliIo, escapeControlBytes, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './io';
import { streamTraceLines } from './trace-input';
import { TraceReplayer } from '../trace/replayer';
import { describeSkipReason } from '../trace/reader';

export const IMPORT_HELP = `usage: irqlab import qemu-trace [-o OUT.irq] [--] TRACE...
       irqlab import info-pic DUMP [-o OUT.irq]

qemu-trace: writes a scenario with one statement per operation of the trace
(QEMU's values as expectations, a '# file:line' comment back to the trace).
Without -o the scenario goes to standard output.

Exit codes: 0 written (the model agreed with the trace), 1 written but the
model diverged somewhere (see irqlab replay), 2 unusable input.
`;

const FLUSH_BYTES = 1 << 20;

/** Buffered writes to a file descriptor: a 60 MB scenario is never held whole. */
class Output {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly write: (text: string) => void) {}
  line(text: string): void {
    this.parts.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= FLUSH_BYTES) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    this.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

function scenarioName(files: readonly string[]): string {
  return `QEMU trace ${files.map((f) => basename(f)).join(' + ')}`.replace(/["\\\x00-\x1f\x7f]/g, '_');
}

export async function importCommand(args: string[], io: CliIo): Promise<number> {
  const [kind, ...rest] = args;
  if (kind === undefined || kind === '--help' || kind === '-h') {
    io.stdout(IMPORT_HELP);
    return kind === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (kind === 'info-pic') return importInfoPic(rest, io);
  if (kind !== 'qemu-trace') {
    io.stderr(`irqlab import: unknown kind '${escapeControlBytes(kind)}' (qemu-trace or info-pic)\n\n${IMPORT_HELP}`);
    return EXIT_USAGE;
  }
  const files: string[] = [];
  let out: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--') {
      files.push(...rest.slice(i + 1));
      break;
    }
    if (a === '-o' || a === '--output') {
      out = rest[++i] ?? null;
      if (out === null) {
        io.stderr('irqlab import: -o needs a file name\n');
        return EXIT_USAGE;
      }
    } else if (a === '--help' || a === '-h') {
      io.stdout(IMPORT_HELP);
      return EXIT_OK;
    } else if (a.startsWith('-') && a !== '-') {
      io.stderr(`irqlab import: unknown option '${escapeControlBytes(a)}'\n\n${IMPORT_HELP}`);
      return EXIT_USAGE;
    } else files.push(a);
  }
  if (files.length === 0) {
    io.stderr(`irqlab import: no trace file given\n\n${IMPORT_HELP}`);
    return EXIT_USAGE;
  }
  let fd: number | null = null;
  if (out !== null) {
    try {
      fd = openSync(out, 'w');
    } catch (e) {
      io.stderr(`irqlab import: cannot write '${escapeControlBytes(out)}': ${escapeControlBytes((e as { code?: string }).code ?? String(e))}\n`);
      return EXIT_USAGE;
    }
  }
  const sink = new Output(fd !== null ? (t) => writeSync(fd as number, t) : (t) => io.stdout(t));
  try {
    sink.line(`# Imported from a QEMU trace by 'irqlab import qemu-trace': one statement per operation,`);
    sink.line(`# QEMU's values as expectations, '# file:line' pointing back to the trace line.`);
    sink.line(`# QEMU does not print an hcall's return code: those expectations are the model's.`);
    sink.line(`scenario "${scenarioName(files)}"`);
    sink.line('');
    let where = '';
    const replayer = new TraceReplayer({
      maxDivergences: 0,
      onEvent: (file, line) => {
        where = `${basename(file)}:${line}`;
      },
      emit: (st) => sink.line(`${st.text.padEnd(st.text.startsWith('#') ? 0 : 56)}${st.text.startsWith('#') ? ` (${where})` : `  # ${where}${st.note && st.note.startsWith('inferred') ? ` ${st.note}` : ''}`}`),
    });
    const { unreadable, problems } = await streamTraceLines(files, (file, l) => replayer.feed(file, l.line, l));
    sink.flush();
    const s = replayer.summary;
    for (const i of s.issues) io.stderr(`${escapeControlBytes(i.file)}:${i.line}: ${describeSkipReason(i.reason)}: ${i.message}\n`);
    for (const p of [...unreadable, ...problems]) io.stderr(`irqlab import: ${p.message}\n`);
    const skipped = s.describe();
    if (skipped) io.stderr(`${skipped}\n`);
    if (unreadable.length > 0 || s.events === 0) {
      if (s.events === 0 && unreadable.length === 0) io.stderr('irqlab import: no trace event in the input\n');
      return EXIT_USAGE;
    }
    if (out !== null) io.stderr(`wrote ${escapeControlBytes(out)}: ${s.events} events\n`);
    if (replayer.divergenceCount > 0) {
      io.stderr(`irqlab import: the model diverged from the trace ${replayer.divergenceCount} time(s): the scenario will fail there (irqlab replay shows where)\n`);
      return EXIT_FAILED;
    }
    return EXIT_OK;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** `import info-pic` belongs to src/cli/import-info-pic-command.ts when it exists (another change). */
async function importInfoPic(args: string[], io: CliIo): Promise<number> {
  try {
    const modulePath = './import-info-pic-command';
    const m = (await import(modulePath)) as { importInfoPicCommand?: (a: string[], io: CliIo) => Promise<number> | number };
    if (typeof m.importInfoPicCommand === 'function') return await m.importInfoPicCommand(args, io);
  } catch {
    // not built into this version
  }
  io.stderr('irqlab import info-pic: not available in this build\n');
  return EXIT_USAGE;
}
