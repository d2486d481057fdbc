/** The Run and Debug view's configurations: scenarios, traces, and one per directory of per-thread logs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchConfigurationFor, workspaceLaunchConfigurations } from '../../src/extension/launch-configurations';

const relative = (p: string): string => p.replace(/^\/ws\//, '');

test('scenarios and traces one each; the per-thread logs of a directory one configuration with the rest as traces', () => {
  const configs = workspaceLaunchConfigurations(
    ['/ws/a.irq', '/ws/run/trace.log.gz'],
    ['/ws/xics/log-8849.txt.gz', '/ws/xics/log-8845.txt.gz', '/ws/xics/log-8848.txt.gz', '/ws/xics/notes.txt', '/ws/one/log-7.txt'],
    relative,
  );
  assert.deepEqual(configs.map((c) => [c.name, c.program, c.traces ?? null]), [
    ['Debug a.irq', '/ws/a.irq', null],
    ['Debug one/log-*.txt (1 per-thread log)', '/ws/one/log-7.txt', []],
    ['Debug run/trace.log.gz', '/ws/run/trace.log.gz', null],
    ['Debug xics/log-*.txt.gz (3 per-thread logs)', '/ws/xics/log-8845.txt.gz', ['/ws/xics/log-8848.txt.gz', '/ws/xics/log-8849.txt.gz']],
  ]);
  for (const c of configs) assert.deepEqual([c.type, c.request, c.stopOnEntry], ['irq', 'launch', true]);
});

test('the default name says what is debugged', () => {
  assert.equal(launchConfigurationFor('/ws/a.irq').name, 'Debug scenario');
  assert.equal(launchConfigurationFor('${file}').name, 'Debug scenario');
  assert.equal(launchConfigurationFor('/ws/trace.log').name, 'Debug trace');
});
