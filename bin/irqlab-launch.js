'use strict';
// Loads the bundled CLI (dist/cli.js, built by `npm run build`) and runs one command.
const path = require('path');
const fs = require('fs');

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
  require(bundle).main(argv).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`irqlab: internal error: ${e && e.stack ? e.stack : e}\n`); process.exitCode = 70; },
  );
};
