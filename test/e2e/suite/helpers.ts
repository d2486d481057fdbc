/** What the end-to-end tests share: the extension's API, waiting, example files, screenshots. */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { IrqLabApi } from '../../../src/extension/api';
import { EXTENSION_ID } from '../../../src/extension/command-ids';

export async function activeApi(): Promise<IrqLabApi> {
  const ext = vscode.extensions.getExtension<IrqLabApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  return ext.isActive ? ext.exports : ext.activate();
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `ms`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs a workspace folder (a copy of examples/)');
  return folder.uri;
}

export async function openExample(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), name));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/**
 * Asks the runner for a screenshot of the workbench as it is now (code-server runs only;
 * see test/e2e/run.mjs) and waits until it is saved, so the picture shows this moment.
 */
export async function screenshot(name: string, expandScopes: readonly string[] = []): Promise<void> {
  const artifacts = process.env.IRQLAB_E2E_ARTIFACTS;
  if (!process.env.IRQLAB_E2E_SCREENSHOTS || !artifacts) return;
  console.log(`[irqlab-e2e] screenshot ${name}${expandScopes.length > 0 ? ` expand=${expandScopes.join(',')}` : ''}`);
  await waitFor(`screenshot ${name}`, () => existsSync(join(artifacts, `${name}.done`)), 20_000);
}

/**
 * Asks the runner to focus the interrupt map's node whose accessible name starts with
 * `label` and press Enter (code-server runs only). Resolves false where no runner listens.
 */
export async function pressEnterOnMapNode(label: string): Promise<boolean> {
  const artifacts = process.env.IRQLAB_E2E_ARTIFACTS;
  if (!process.env.IRQLAB_E2E_SCREENSHOTS || !artifacts) return false;
  console.log(`[irqlab-e2e] map-key ${label}`);
  await waitFor(`the runner to press Enter on '${label}'`, () => existsSync(join(artifacts, 'map-key.done')), 20_000);
  return true;
}
