/**
 * Entry point: activation only. Everything the extension owns lives in Ctx, which is
 * created here and disposed on deactivation.
 */
import type * as vscode from 'vscode';
import type { IrqLabApi } from './api';
import { Ctx } from './context';

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): IrqLabApi {
  const t0 = performance.now();
  ctx = new Ctx(context);
  const api = ctx.activate();
  const activationMs = performance.now() - t0;
  ctx.output.info(`activated in ${activationMs.toFixed(1)} ms`);
  return { ...api, activationMs };
}

export async function deactivate(): Promise<void> {
  const current = ctx;
  ctx = undefined;
  await current?.dispose();
}
