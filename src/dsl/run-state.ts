/**
 * The checker's running state between slices of a file, frozen into a value
 * with a `key`: two slices checked from states with the same key (and the
 * same file facts) report the same diagnostics. Shared by the incremental
 * analyzer and the streaming `diagnose`.
 */
import type { CheckState } from './checker';
import type { ConstEnv } from './constants';

/** The running state between slices, frozen; `key` compares two of them. */
export interface RunState {
  readonly key: string;
  readonly device: boolean;
  readonly connected: readonly bigint[];
  readonly anyVcpu: boolean;
  readonly warned: readonly ('device' | 'vcpu')[];
  readonly includedNames: readonly (readonly [string, number])[];
  readonly includedConnects: readonly bigint[];
  readonly includedDevice: boolean;
  readonly env: ConstEnv;
  readonly comparisonsLeft: number;
}

export function freeze(state: CheckState, comparisonsLeft: number, fileEnv: ConstEnv): RunState {
  const connected = [...state.connected];
  const warned = [...state.warnedLibrary];
  const includedNames = [...state.included.names];
  const includedConnects = [...state.included.connects];
  const envKey = state.env === fileEnv ? '' : [...state.env].map(([k, v]) => `${k}=${v}`).join(',');
  const key = [
    state.device ? 1 : 0, state.anyVcpu ? 1 : 0, connected.join(','), warned.join(','),
    includedNames.map(([k, v]) => `${k}/${v}`).join(','), includedConnects.join(','), state.included.device ? 1 : 0, envKey, comparisonsLeft,
  ].join('|');
  return {
    key, device: state.device, connected, anyVcpu: state.anyVcpu, warned, includedNames, includedConnects,
    includedDevice: state.included.device, env: state.env, comparisonsLeft,
  };
}

export function thaw(s: RunState): CheckState {
  return {
    device: s.device, connected: new Set(s.connected), anyVcpu: s.anyVcpu, warnedLibrary: new Set(s.warned),
    included: { names: new Map(s.includedNames), connects: new Set(s.includedConnects), device: s.includedDevice }, env: s.env,
  };
}

