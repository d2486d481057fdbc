/**
 * Worker thread: the reading half of a long replay (src/cli/trace-records.ts).
 * Bundled to dist/trace-reader-worker.js, beside dist/cli.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serveTraceReader, TraceReaderMessage, TraceReaderRequest } from './trace-records';

const port = parentPort;
if (port !== null) {
  const serve = (request: TraceReaderRequest): void => {
    void serveTraceReader(request, (m: TraceReaderMessage, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer));
  };
  // Started with its request, or started early and sent it when a long trace is read (trace-records.ts).
  if (workerData) serve(workerData as TraceReaderRequest);
  else port.once('message', serve);
}
