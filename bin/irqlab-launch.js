'use strict';
// Loads the bundled CLI (dist/cli.js, built by `npm run build`) and runs one command.
const path = require('path');
const fs = require('fs');

/** Bytes of trace from which a replay reads in a second thread: src/cli/trace-records.ts's WORKER_THRESHOLD_BYTES. */
const READER_THREAD_THRESHOLD_BYTES = 4 << 20;
exports.READER_THREAD_THRESHOLD_BYTES = READER_THREAD_THRESHOLD_BYTES;

/**
 * `irqlab replay` / `import qemu-trace` of a long trace read it in a second thread. Started here,
 * before the CLI bundle loads, the thread's own start-up overlaps the CLI's; the first long read
 * adopts it (src/cli/trace-records.ts). A guess from the arguments: one that turns out unused is
 * unreferenced and ends with the process.
 */
function startTraceReaderEarly(argv) {
  const reads = argv[0] === 'replay' || (argv[0] === 'import' && argv[1] === 'qemu-trace');
  if (!reads || process.env.IRQLAB_TRACE_READER === 'thread') return null;
  let bytes = 0;
  for (const a of argv.slice(1)) {
    try {
      const st = fs.statSync(a);
      if (st.isFile()) bytes += st.size;
    } catch {
      // An option or a missing file: the command reports it.
    }
  }
  const script = path.join(__dirname, '..', 'dist', 'trace-reader-worker.js');
  if (bytes < READER_THREAD_THRESHOLD_BYTES || !fs.existsSync(script)) return null;
  try {
    return new (require('worker_threads').Worker)(script);
  } catch {
    return null;
  }
}

exports.launch = function launch(argv) {
  const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
  if (!fs.existsSync(bundle)) {
    process.stderr.write('irqlab: dist/cli.js is missing; run `npm run build` first\n');
    process.exit(2);
  }
  // A reader that goes away (`irqlab run big.irq | head`) is the end of the output, not an
  // internal error: stop quietly, as a command killed by SIGPIPE would.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
      if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  const readerThread = startTraceReaderEarly(argv);
  const cli = require(bundle);
  if (readerThread !== null) cli.adoptTraceReaderThread(readerThread);
  cli.main(argv).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`irqlab: internal error: ${e && e.stack ? e.stack : e}\n`); process.exitCode = 70; },
  );
};
