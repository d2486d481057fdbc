/**
 * The `launch` configuration of debug type `irq`. package.json's
 * `contributes.debuggers[0].configurationAttributes.launch` documents the same
 * properties; test/debug/launch-schema.test.ts keeps the two in step.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { BitNumbering } from '../model/layouts/render';

export interface IrqLaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** Absolute path of the `.irq` scenario to run, or of a QEMU trace log (plain or .gz). */
  program: string;
  /** More per-thread logs of the same QEMU run, merged with `program` in time order. */
  traces?: string[];
  /** Stop before the first statement instead of running to the first breakpoint. */
  stopOnEntry?: boolean;
  /** Statements executed before the run stops with a step-limit message (default 1,000,000). */
  maxSteps?: number;
  /** Show values in hexadecimal (default true); `irqlab/toggleHex` flips it during a session. */
  hex?: boolean;
  /** Bit numbering of field labels: LSB-0 as in the KVM uapi (default) or IBM MSB-0. */
  bitNumbering?: BitNumbering;
  /** Log every DAP message to the debug console. */
  trace?: boolean;
}

/** Every property of IrqLaunchArguments (beyond DAP's own `noDebug`/`__restart`), checked against package.json. */
export const LAUNCH_ARGUMENT_NAMES = ['program', 'traces', 'stopOnEntry', 'maxSteps', 'noDebug', 'hex', 'bitNumbering', 'trace'] as const;

export const DEFAULT_MAX_STEPS = 1_000_000;

export interface ValidLaunch {
  readonly program: string;
  readonly traces: readonly string[];
  readonly stopOnEntry: boolean;
  readonly maxSteps: number;
  readonly noDebug: boolean;
  readonly hex: boolean;
  readonly bitNumbering: BitNumbering;
  readonly trace: boolean;
}

/** Checks what a client sent (it may be anything) and fills in defaults; a string is the error. */
export function validateLaunchArguments(raw: unknown): ValidLaunch | string {
  if (raw !== undefined && raw !== null && typeof raw !== 'object') return 'launch arguments must be an object';
  const a = (raw ?? {}) as Record<string, unknown>;
  if (typeof a.program !== 'string' || a.program.trim() === '') {
    return "missing 'program': the path of the .irq scenario or QEMU trace to debug";
  }
  const traces = a.traces ?? [];
  if (!Array.isArray(traces) || traces.some((t) => typeof t !== 'string' || t.trim() === '')) return "'traces' must be a list of trace file paths";
  const bool = (name: string, dflt: boolean): boolean | string => {
    const v = a[name];
    if (v === undefined) return dflt;
    return typeof v === 'boolean' ? v : `'${name}' must be true or false`;
  };
  const stopOnEntry = bool('stopOnEntry', false);
  const noDebug = bool('noDebug', false);
  const hex = bool('hex', true);
  const trace = bool('trace', false);
  for (const v of [stopOnEntry, noDebug, hex, trace]) if (typeof v === 'string') return v;
  let maxSteps = DEFAULT_MAX_STEPS;
  if (a.maxSteps !== undefined) {
    if (typeof a.maxSteps !== 'number' || !Number.isInteger(a.maxSteps) || a.maxSteps < 1) {
      return "'maxSteps' must be a positive integer";
    }
    maxSteps = a.maxSteps;
  }
  const bitNumbering = a.bitNumbering ?? 'lsb0';
  if (bitNumbering !== 'lsb0' && bitNumbering !== 'msb0') return "'bitNumbering' must be \"lsb0\" or \"msb0\"";
  return {
    program: a.program,
    traces: traces as string[],
    stopOnEntry: stopOnEntry as boolean,
    maxSteps,
    noDebug: noDebug as boolean,
    hex: hex as boolean,
    bitNumbering,
    trace: trace as boolean,
  };
}
