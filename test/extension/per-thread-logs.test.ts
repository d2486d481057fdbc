/** The Test Explorer's grouping rule for QEMU's per-thread logs (`log-<tid>.txt[.gz]`): one test per directory. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { groupPerThreadLogs, isPerThreadLog, perThreadLogLabel } from '../../src/extension/per-thread-logs';

test('per-thread logs are log-<tid>.txt, plain or gzipped; nothing else is', () => {
  for (const yes of ['/w/run/log-8845.txt', '/w/run/log-8845.txt.gz', 'log-1.txt', 'C:\\runs\\a\\log-42.txt.gz']) assert.ok(isPerThreadLog(yes), yes);
  for (const no of ['/w/run/trace.log', '/w/run/log-.txt', '/w/run/log-abc.txt', '/w/run/log-12.txt.bak', '/w/run/mylog-12.txt', '/w/log-1.txt/x.irq', '/w/run/log-1.log'])
    assert.ok(!isPerThreadLog(no), no);
});

test('the logs of one directory are one group, directories sorted by name, logs by thread id', () => {
  const groups = groupPerThreadLogs([
    '/w/xics/log-8849.txt.gz',
    '/w/b/log-1000.txt',
    '/w/xics/log-8845.txt.gz',
    '/w/xics/notes.txt',
    '/w/b/log-999.txt',
    '/w/trace.log',
    '/w/xics/log-8848.txt.gz',
  ]);
  assert.deepEqual(groups, [
    { dir: '/w/b', files: ['/w/b/log-999.txt', '/w/b/log-1000.txt'] },
    { dir: '/w/xics', files: ['/w/xics/log-8845.txt.gz', '/w/xics/log-8848.txt.gz', '/w/xics/log-8849.txt.gz'] },
  ]);
});

test('a directory with a single per-thread log is still a group (of one); no logs, no group', () => {
  assert.deepEqual(groupPerThreadLogs(['/w/one/log-7.txt']), [{ dir: '/w/one', files: ['/w/one/log-7.txt'] }]);
  assert.deepEqual(groupPerThreadLogs(['/w/trace.log', '/w/a.irq']), []);
  assert.deepEqual(groupPerThreadLogs([]), []);
});

test('a thread logged both plain and gzipped counts once (the plain one), so the run is not replayed twice', () => {
  for (const order of [['/w/r/log-5.txt.gz', '/w/r/log-5.txt'], ['/w/r/log-5.txt', '/w/r/log-5.txt.gz']]) {
    assert.deepEqual(groupPerThreadLogs([...order, '/w/r/log-6.txt.gz']), [{ dir: '/w/r', files: ['/w/r/log-5.txt', '/w/r/log-6.txt.gz'] }]);
  }
});

test('Windows paths group by their directory too', () => {
  assert.deepEqual(groupPerThreadLogs(['C:\\r\\log-2.txt', 'C:\\r\\log-1.txt']), [{ dir: 'C:\\r', files: ['C:\\r\\log-1.txt', 'C:\\r\\log-2.txt'] }]);
});

test('the label names the directory, the pattern and how many logs', () => {
  const gz = ['/w/x/log-1.txt.gz', '/w/x/log-2.txt.gz', '/w/x/log-3.txt.gz'];
  assert.equal(perThreadLogLabel('qemu-7.2-xics-2cpu/log-1.txt.gz', gz), 'qemu-7.2-xics-2cpu/log-*.txt.gz (3 per-thread logs)');
  assert.equal(perThreadLogLabel('runs/a/log-1.txt', ['/w/runs/a/log-1.txt']), 'runs/a/log-*.txt (1 per-thread log)');
  assert.equal(perThreadLogLabel('log-1.txt', ['/w/log-1.txt', '/w/log-2.txt.gz']), 'log-*.txt* (2 per-thread logs)');
});
