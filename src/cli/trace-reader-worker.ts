/**
 * Worker thread: the reading half of a long replay (src/cli/trace-records.ts).
 * Bundled to dist/trace-reader-worker.js, beside dist/cli.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serveTraceReader, TraceReaderMessage, TraceReaderRequest } from './trace-records';

const port = parentPort;
if (port !== null) {
  void serveTraceReader(workerData as TraceReaderRequest, (m: TraceReaderMessage, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer));
}
