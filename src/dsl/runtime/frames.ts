/** The interpreter's cursor: a stack of frames, each a statement list and a position in it. */
import type { Stmt } from '../ast';
import type { Frame } from './types';

export interface FrameState {
  readonly id: number;
  readonly kind: Frame['kind'];
  readonly uri: string;
  readonly body: readonly Stmt[];
  /** Next statement of `body` to execute. */
  index: number;
  /** Names bound in this frame (scenario: globals; proc: params and locals; repeat: its variable and locals). Include frames bind nothing. */
  vars: Map<string, bigint> | null;
  /** Proc: `route(irq=0x1300, ...)`; scenario: its title; include: the path. */
  readonly label: string;
  /** The statement that opened this frame, and its file. */
  readonly callSite: Stmt | null;
  readonly callSiteUri: string;
  /** repeat only. */
  readonly count: number;
  iteration: number;
  readonly variable: string | null;
}

export function cloneFrame(f: FrameState): FrameState {
  return { ...f, vars: f.vars ? new Map(f.vars) : null };
}

/** Statements that run as steps; `scenario` titles and `proc` definitions do not. */
export function isExecutable(s: Stmt): boolean {
  return s.kind !== 'scenario' && s.kind !== 'proc';
}

export function hasExecutable(body: readonly Stmt[]): boolean {
  return body.some(isExecutable);
}

export function frameName(f: FrameState): string {
  if (f.kind !== 'repeat') return f.label;
  const at = f.variable ? `${f.variable}=${f.iteration}` : String(f.iteration + 1);
  return `repeat ${at}/${f.count}`;
}
