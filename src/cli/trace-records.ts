/**
 * Trace files → batches of classified lines (src/trace/event-records.ts):
 * the reading half of a replay, run in a worker thread for long traces so
 * that reading (gunzip, split, classify, arguments) and replaying (translate,
 * model, compare) use two cores. Short traces, or a machine where the worker
 * cannot start, replay on one thread straight from the bytes.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { classifyLine, createLineClass, EventRecords, EventRecordWriter, Replay, ScannedEvent, stampOf } from '../trace';
import { CompiledLineReader } from '../trace/wasm/compiled-line-reader';
import { loadLineScanner } from './line-scanner-module';
import { readTraceFiles } from './trace-input';

/** Where a replay bounded by --at-epoch stopped: the first line it did not replay. */
export interface EpochStop { readonly file: number; readonly line: number; readonly epoch: number }

/** Batches in flight between the reader and the replay: bounds the memory the reader may run ahead by. */
export const MAX_BATCHES_IN_FLIGHT = 4;
/** Below this many bytes on disk a second thread costs more than it saves (bin/irqlab-launch.js starts one early from it too). */
export const WORKER_THRESHOLD_BYTES = 4 << 20;

/** Shared control words: [0] batches in flight, [1] 1 once the replay wants no more. */
const IN_FLIGHT = 0;
const STOP = 1;

export interface TraceReaderRequest {
  readonly files: readonly string[];
  readonly atEpoch: number | null;
  readonly control: SharedArrayBuffer;
  readonly rows?: number;
}

/**
 * How the reading half hands out batches: `ring` > 0 reuses that many batches'
 * columns (a batch must be consumed before `ring − 1` more are emitted),
 * `shared` puts them in SharedArrayBuffers (another thread reads them in place).
 */
export interface BatchReuse {
  readonly ring: number;
  readonly shared: boolean;
}

/**
 * A reader thread started before it had work (`irqlab replay` / `import`
 * start one as the process starts, so its start-up overlaps the CLI's own):
 * the first long trace read adopts it and sends it the request. One use.
 */
interface WaitingReader {
  readonly worker: Worker;
  online: boolean;
  failed: boolean;
}

let waitingReader: WaitingReader | null = null;

/** Keep `worker` (started on dist/trace-reader-worker.js without workerData) for the next long trace. */
export function adoptTraceReaderThread(worker: Worker): void {
  const waiting: WaitingReader = { worker, online: false, failed: false };
  worker.on('online', () => { waiting.online = true; });
  // Until adopted by a read, a failure only means the read starts its own (or reads on one thread).
  worker.on('error', () => { waiting.failed = true; });
  worker.on('exit', () => { waiting.failed = true; });
  worker.unref();
  waitingReader = waiting;
}

function takeWaitingReader(): WaitingReader | null {
  const w = waitingReader;
  waitingReader = null;
  return w !== null && !w.failed ? w : null;
}

export type TraceReaderMessage =
  | { readonly type: 'batch'; readonly batch: EventRecords }
  | { readonly type: 'end'; readonly stoppedAt: EpochStop | null }
  | { readonly type: 'failed'; readonly message: string };

/**
 * The reading half: every line classified into batches handed to `emit`
 * (which may block until the replay catches up); the epoch stop, if any.
 * With `lineScanner` (line-scanner.wat, compiled), plain lines of a single
 * file are read by it (src/trace/wasm/compiled-line-reader.ts): the same
 * batches, sooner.
 */
export async function produceTraceRecords(
  req: Omit<TraceReaderRequest, 'control'>, emit: (b: EventRecords) => void, stopped: () => boolean,
  reuse: BatchReuse = { ring: 0, shared: false }, lineScanner: WebAssembly.Module | null = null,
): Promise<EpochStop | null> {
  const writer = new EventRecordWriter(req.rows, reuse.ring, reuse.shared);
  const atEpoch = req.atEpoch;
  // Per-thread logs are merged line by line (a chunk copy per switch), and --at-epoch stamps every line: read here.
  if (lineScanner !== null && atEpoch === null && req.files.length === 1) {
    const reader = new CompiledLineReader(lineScanner, writer, () => { emit(writer.take()); return !stopped(); });
    await readTraceFiles(req.files, (file, bytes, start, end, line, flags) => reader.line(file, bytes, start, end, line, flags), (file, line, message) => {
      // In its place among the lines: the ones before it are read first.
      reader.flush();
      writer.addProblem(file, line, message);
      if (writer.full) emit(writer.take());
    });
    if (!stopped()) reader.flush();
    if (!writer.empty) emit(writer.take());
    return null;
  }
  const event = new ScannedEvent();
  const lineClass = createLineClass();
  let stoppedAt: EpochStop | null = null;
  await readTraceFiles(req.files, (file, bytes, start, end, line, flags) => {
    if (atEpoch !== null) {
      const t = stampOf(bytes, start, end);
      if (t > atEpoch) { stoppedAt = { file, line, epoch: t }; return false; }
    }
    classifyLine(bytes, start, end, flags, event, lineClass);
    writer.add(file, line, flags, lineClass, event);
    if (writer.full) {
      emit(writer.take());
      return !stopped();
    }
    return true;
  }, (file, line, message) => {
    writer.addProblem(file, line, message);
    if (writer.full) emit(writer.take());
  });
  if (!writer.empty) emit(writer.take());
  return stoppedAt;
}

/** The worker's side: request in `workerData`, batches posted with their buffers transferred. */
export function serveTraceReader(req: TraceReaderRequest, post: (m: TraceReaderMessage, transfer?: ArrayBuffer[]) => void): Promise<void> {
  const control = new Int32Array(req.control);
  const emit = (batch: EventRecords): void => {
    // Wait (blocking this reader thread only) while the replay is behind.
    for (let n = Atomics.load(control, IN_FLIGHT); n >= MAX_BATCHES_IN_FLIGHT && Atomics.load(control, STOP) === 0; n = Atomics.load(control, IN_FLIGHT)) {
      Atomics.wait(control, IN_FLIGHT, n, 1000);
    }
    if (Atomics.load(control, STOP) !== 0) return;
    Atomics.add(control, IN_FLIGHT, 1);
    post({ type: 'batch', batch }, EventRecordWriter.buffers(batch));
  };
  // At most MAX_BATCHES_IN_FLIGHT are unconsumed when the next is filled: one more in the ring suffices.
  const reuse: BatchReuse = { ring: MAX_BATCHES_IN_FLIGHT + 1, shared: true };
  return produceTraceRecords(req, emit, () => Atomics.load(control, STOP) !== 0, reuse, loadLineScanner()).then(
    (stoppedAt) => post({ type: 'end', stoppedAt }),
    (e: unknown) => post({ type: 'failed', message: e instanceof Error ? e.message : String(e) }),
  );
}

function totalBytes(files: readonly string[]): number {
  let n = 0;
  for (const f of files) {
    try { n += statSync(f).size; } catch { /* reported by the reader */ }
  }
  return n;
}

export type ReaderMode = 'auto' | 'worker' | 'thread';

/** IRQLAB_TRACE_READER=thread|worker|auto: read on one thread, always in a reader thread, or by size. */
export function readerModeFromEnvironment(): ReaderMode {
  const v = process.env.IRQLAB_TRACE_READER;
  return v === 'thread' || v === 'worker' ? v : 'auto';
}

/**
 * What the replay's consumer may ask it to wait for before it goes on (an
 * output stream's drain: `irqlab import` writes a statement per step), or
 * null to go on. Asked after each batch from a reader thread, whose batches
 * then wait, and the thread with them: memory stays flat however fast the
 * trace is read. (On one thread the reading loop waits for each chunk, which
 * lets an output stream drain.)
 */
export type ReplayPause = () => Promise<unknown> | null;

/**
 * Streams the files into `replay`: through a reader thread when they are long
 * (or `mode` says so), else here. Resolves when done or when the replay stops.
 */
export async function feedReplay(
  files: readonly string[], replay: Replay, atEpoch: number | null, mode: ReaderMode = readerModeFromEnvironment(), pause: ReplayPause | null = null,
): Promise<EpochStop | null> {
  const script = join(__dirname, 'trace-reader-worker.js');
  const useWorker = mode === 'worker' || (mode === 'auto' && totalBytes(files) >= WORKER_THRESHOLD_BYTES);
  if (useWorker && existsSync(script)) {
    const r = await feedReplayFromWorker(script, files, replay, atEpoch, pause);
    if (r !== 'unavailable') return r;
  }
  let stoppedAt: EpochStop | null = null;
  await readTraceFiles(files, atEpoch === null ? replay.pushBytes : (f, bytes, start, end, line, flags) => {
    const t = stampOf(bytes, start, end);
    if (t > atEpoch) { stoppedAt = { file: f, line, epoch: t }; return false; }
    return replay.pushBytes(f, bytes, start, end, line, flags);
  }, (file, line, message) => replay.addProblem({ file, line, message }));
  return stoppedAt;
}

function feedReplayFromWorker(script: string, files: readonly string[], replay: Replay, atEpoch: number | null, pause: ReplayPause | null): Promise<EpochStop | null | 'unavailable'> {
  const control = new SharedArrayBuffer(8);
  const words = new Int32Array(control);
  const request: TraceReaderRequest = { files: [...files], atEpoch, control };
  return new Promise((resolve) => {
    let started = false;
    let settled = false;
    const finish = (r: EpochStop | null | 'unavailable'): void => {
      if (settled) return;
      settled = true;
      Atomics.store(words, STOP, 1);
      Atomics.notify(words, IN_FLIGHT);
      void worker.terminate();
      resolve(r);
    };
    let worker: Worker;
    const waiting = takeWaitingReader();
    if (waiting !== null) {
      worker = waiting.worker;
      started = waiting.online;
      worker.ref();
      worker.postMessage(request);
    } else {
      try {
        worker = new Worker(script, { workerData: request });
      } catch {
        resolve('unavailable');
        return;
      }
    }
    worker.on('online', () => { started = true; });
    // Messages are handled in order from a queue, so that the replay can wait (`pause`) between batches.
    const queue: TraceReaderMessage[] = [];
    let paused = false;
    let exited = false;
    const pump = (): void => {
      while (!paused && !settled && queue.length > 0) {
        const m = queue.shift()!;
        if (m.type === 'batch') {
          const more = replay.pushRecords(m.batch);
          Atomics.sub(words, IN_FLIGHT, 1);
          Atomics.notify(words, IN_FLIGHT);
          if (!more) { finish(null); return; }
          const wait = pause?.() ?? null;
          if (wait !== null) {
            paused = true;
            void wait.then(() => { paused = false; pump(); });
            return;
          }
        } else if (m.type === 'end') {
          finish(m.stoppedAt);
        } else {
          replay.addProblem({ file: 0, line: 0, message: `the trace reader failed: ${m.message}` });
          finish(null);
        }
      }
      if (exited && !settled && !paused && queue.length === 0) {
        if (!started) { finish('unavailable'); return; }
        replay.addProblem({ file: 0, line: 0, message: 'the trace reader stopped before the end of the trace' });
        finish(null);
      }
    };
    worker.on('message', (m: TraceReaderMessage) => {
      if (settled) return;
      queue.push(m);
      pump();
    });
    worker.on('error', (e) => {
      if (!started) { finish('unavailable'); return; }
      queue.push({ type: 'failed', message: e.message });
      pump();
    });
    worker.on('exit', () => {
      exited = true;
      pump();
    });
  });
}
