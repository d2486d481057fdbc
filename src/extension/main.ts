/**
 * Entry point: activation only. Everything the extension owns lives in Ctx, which is
 * created here and disposed on deactivation.
 */
import type * as vscode from 'vscode';
import type { IrqLabApi } from './api';
import { Ctx } from './context';

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): IrqLabApi {
  ctx = new Ctx(context);
  return ctx.activate();
}

export async function deactivate(): Promise<void> {
  const current = ctx;
  ctx = undefined;
  await current?.dispose();
}
