/**
 * Which device a statement's words belong to: the last `device` statement
 * before it in the text (XICS and XIVE number their attribute groups and lay
 * out their source words differently). Recorded by the parser beside the tree
 * so the AST stays plain data; a statement without an entry (e.g. a structured
 * clone) falls back to XIVE, the language's default. Only the XICS family is
 * recorded: a WeakMap entry per statement of a 100,000-line XIVE scenario would
 * cost the garbage collector more than the parse itself.
 */
import type { DeviceName, Stmt } from './ast';

const deviceByStmt = new WeakMap<Stmt, DeviceName>();

export function recordDevice(stmt: Stmt, device: DeviceName): void {
  deviceByStmt.set(stmt, device);
}

export function deviceOf(stmt: Stmt): DeviceName | null {
  return deviceByStmt.get(stmt) ?? null;
}

export function isXicsFamily(device: DeviceName | null): boolean {
  return device === 'xics' || device === 'xics-pr' || device === 'xics-on-xive';
}
