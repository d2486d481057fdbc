/** The extension activates on an .irq file, contributes its commands, starts its language server. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, test } from 'mocha';
import { COMMAND_IDS, EXTENSION_ID } from '../../../src/extension/command-ids';
import { activeApi } from './helpers';

export function defineActivationTests(): void {
  suite('activation', () => {
    test('the packaged extension is the one that runs', () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `${EXTENSION_ID} is not installed`);
      const expected = process.env.IRQLAB_E2E_EXTENSION_PATH;
      if (expected) assert.equal(ext.extensionPath, expected, 'the suite must exercise the VSIX installed by the runner');
    });

    test('activates and registers every IRQ Lab command', async () => {
      await activeApi();
      const registered = new Set(await vscode.commands.getCommands(true));
      for (const id of COMMAND_IDS) assert.ok(registered.has(id), `${id} is not registered`);
    });
  });
}
