/**
 * The end-to-end suite's entry (`extensionTestsPath` contract: `run(): Promise<void>`),
 * bundled to dist/test/suite/index.js. The same bundle runs under code-server
 * (test/e2e/run.mjs) and under @vscode/test-electron (test/e2e/electron.mjs).
 *
 * The test modules are bundled in, so they cannot be `mocha.addFile`d: each exports a
 * `define…` function that is called after mocha's `pre-require` has bound `suite`/`test`.
 */
import Mocha from 'mocha';
import { format } from 'node:util';
import { defineActivationTests } from './activation.e2e';
import { defineDebugTests } from './debug.e2e';
import { defineEditorTests } from './editor.e2e';
import { defineExplainTests } from './explain.e2e';
import { writeFixtures } from './fixtures';
import { defineTestingTests } from './testing.e2e';
import { defineTraceDocumentTests } from './trace-documents.e2e';
import { defineTraceDebugTests } from './trace-debug.e2e';

export function run(): Promise<void> {
  // The extension host forwards console output argument by argument; format mocha's
  // printf-style lines here so the runner prints what a terminal would.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(format(...args));
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'irqlab-e2e', mocha);
  mocha.suite.beforeAll('write the fixture scenarios into the workspace', writeFixtures);
  defineActivationTests();
  defineEditorTests();
  defineDebugTests();
  defineTraceDebugTests();
  defineExplainTests();
  defineTestingTests();
  defineTraceDocumentTests();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} end-to-end test(s) failed`)) : resolve()));
  });
}
