/**
 * Golden text files of whole Variables trees (vscode-js-debug style): each
 * node on one line, children indented, rendered through whatever fetches the
 * children (the DAP client, or the tree builder directly). `UPDATE_GOLDEN=1`
 * rewrites the files instead of comparing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface RenderedVariable {
  readonly name: string;
  readonly value: string;
  readonly variablesReference: number;
  readonly evaluateName?: string;
  readonly memoryReference?: string;
  readonly indexedVariables?: number;
  readonly presentationHint?: { readonly attributes?: readonly string[] };
}

export type FetchChildren = (ref: number) => Promise<readonly RenderedVariable[]>;

/** One line per node: `name: value  ⟨evaluateName⟩ [readOnly] @memoryReference`; at most `maxChildren` per level. */
export async function renderTree(title: string, rootRef: number, fetch: FetchChildren, maxChildren = 40, depth = 0): Promise<string> {
  const lines: string[] = depth === 0 ? [`${title}`] : [];
  const children = await fetch(rootRef);
  const indent = '  '.repeat(depth + 1);
  for (const v of children.slice(0, maxChildren)) {
    const tags = [
      v.evaluateName ? `⟨${v.evaluateName}⟩` : '',
      v.presentationHint?.attributes?.includes('readOnly') ? '[ro]' : '',
      v.memoryReference ? `@${v.memoryReference}` : '',
      v.indexedVariables !== undefined ? `#${v.indexedVariables}` : '',
    ].filter(Boolean).join(' ');
    lines.push(`${indent}${v.name}: ${v.value}${tags ? '  ' + tags : ''}`);
    if (v.variablesReference > 0) {
      const sub = await renderTree(title, v.variablesReference, fetch, maxChildren, depth + 1);
      if (sub) lines.push(sub);
    }
  }
  if (children.length > maxChildren) lines.push(`${indent}… ${children.length - maxChildren} more`);
  return lines.join('\n');
}

export const GOLDEN_DIR = join(process.cwd(), 'test', 'debug', 'golden');

export function assertGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  const text = actual.endsWith('\n') ? actual : actual + '\n';
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    if (process.env.UPDATE_GOLDEN !== '1') assert.fail(`golden ${name} did not exist; wrote it — review and rerun`);
    return;
  }
  assert.equal(text, readFileSync(file, 'utf8'), `golden ${name} differs (UPDATE_GOLDEN=1 to accept)`);
}
