/** Where the shared QEMU recordings live: `<repo>/../shared/traces` in CI, `../../shared/traces` from a worktree. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function sharedTraces(): string {
  const candidates = [join(process.cwd(), '..', 'shared', 'traces'), join(process.cwd(), '..', '..', 'shared', 'traces')];
  const found = candidates.find((c) => existsSync(c));
  assert.ok(found, `the shared traces are not beside the checkout (looked in ${candidates.join(', ')})`);
  return found;
}

/** Every `info-pic-*.txt` of every recording. */
export function sharedDumps(): string[] {
  const root = sharedTraces();
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(root, d.name)).filter((f) => /^info-pic-.*\.txt$/.test(f)).map((f) => join(root, d.name, f)));
}
