/**
 * Messages from the interrupt-map webview are untrusted input (the page could be
 * compromised or simply stale): each is checked field by field before it is acted on.
 * No `vscode` import, so the validation is unit-tested directly.
 */
import type { MapWebviewMessage } from '../protocol';

const MAX_LINE = 10_000_000;
const MAX_BLOCKED = 10_000;
const MAX_TOOLTIP = 2_000;
const VARIABLE_PATH = /^[A-Za-z0-9 _.:\-()[\]/#]{1,200}$/;

export function parseMapMessage(raw: unknown): MapWebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'reveal-line':
      return Number.isInteger(m.line) && (m.line as number) >= 1 && (m.line as number) <= MAX_LINE
        ? { type: 'reveal-line', line: m.line as number }
        : undefined;
    case 'reveal-variable':
      return typeof m.path === 'string' && VARIABLE_PATH.test(m.path) ? { type: 'reveal-variable', path: m.path } : undefined;
    case 'drawn': {
      const blocked = Array.isArray(m.blocked) && m.blocked.length <= MAX_BLOCKED && m.blocked.every((b) => typeof b === 'string' && b.length <= MAX_TOOLTIP) ? (m.blocked as string[]) : null;
      return Number.isInteger(m.step) && (m.step as number) >= 0 && blocked ? { type: 'drawn', step: m.step as number, blocked: [...blocked] } : undefined;
    }
    default:
      return undefined;
  }
}
