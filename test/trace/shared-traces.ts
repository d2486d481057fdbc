/** Where the recorded QEMU traces are: `<repo>/../shared/traces` (CI), or beside the worktrees' parent. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function sharedTraces(): string {
  const candidates = [
    process.env.IRQLAB_TRACES,
    resolve(process.cwd(), '..', 'shared', 'traces'),
    resolve(process.cwd(), '..', '..', 'shared', 'traces'),
  ].filter((x): x is string => typeof x === 'string');
  for (const c of candidates) if (existsSync(join(c, 'qemu-7.2-xive-2cpu', 'trace.log'))) return c;
  throw new Error(`the recorded traces are not found (looked in ${candidates.join(', ')}; set IRQLAB_TRACES)`);
}
