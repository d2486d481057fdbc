// `npm test`: every suite, each one even when an earlier one failed, so one run reports
// everything that is broken. Exits non-zero if any suite failed.
import { spawnSync } from 'node:child_process';

const suites = [
  ['unit', ['run', 'test:unit']],
  ['end-to-end', ['run', 'test:e2e']],
];
const results = suites.map(([name, args]) => {
  const started = Date.now();
  const r = spawnSync('npm', args, { stdio: 'inherit' });
  return { name, ok: r.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(0) };
});
console.log('\nnpm test:');
for (const r of results) console.log(`  ${r.ok ? 'passed' : 'FAILED'}  ${r.name} (${r.seconds} s)`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
