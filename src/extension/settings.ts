/**
 * Typed view of the `irqlab.*` settings. The keys and defaults here are tested against
 * package.json's `contributes.configuration` so the two cannot drift. No `vscode` import:
 * callers pass a getter (WorkspaceConfiguration.get fits).
 */
import type { BitNumbering } from '../model/layouts/render';

export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface IrqLabSettings {
  readonly maxSteps: number;
  readonly hoverBitNumbering: BitNumbering;
  readonly traceServer: TraceLevel;
}

export const SETTINGS_SECTION = 'irqlab';

/** Setting key (relative to the `irqlab` section) of each field. */
export const SETTING_KEYS: { readonly [K in keyof IrqLabSettings]: string } = {
  maxSteps: 'maxSteps',
  hoverBitNumbering: 'hover.bitNumbering',
  traceServer: 'trace.server',
};

export const SETTING_DEFAULTS: IrqLabSettings = {
  maxSteps: 1_000_000,
  hoverBitNumbering: 'lsb0',
  traceServer: 'off',
};

export type SettingGetter = (key: string) => unknown;

/** Reads and validates every setting; a wrong type or range falls back to the default. */
export function readSettings(get: SettingGetter): IrqLabSettings {
  const maxSteps = get(SETTING_KEYS.maxSteps);
  const numbering = get(SETTING_KEYS.hoverBitNumbering);
  const trace = get(SETTING_KEYS.traceServer);
  return {
    maxSteps: typeof maxSteps === 'number' && Number.isInteger(maxSteps) && maxSteps >= 1 ? maxSteps : SETTING_DEFAULTS.maxSteps,
    hoverBitNumbering: numbering === 'lsb0' || numbering === 'msb0' ? numbering : SETTING_DEFAULTS.hoverBitNumbering,
    traceServer: trace === 'off' || trace === 'messages' || trace === 'verbose' ? trace : SETTING_DEFAULTS.traceServer,
  };
}
