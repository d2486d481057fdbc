/**
 * Server settings: `irqlab.hover.bitNumbering` ('lsb0' as in the KVM uapi, or
 * IBM 'msb0'). Read from initializationOptions at start and, when the client
 * supports it, pulled through workspace/configuration (on start and whenever
 * the client says the configuration changed). Handlers read the cached copy,
 * so a hover never waits on the client.
 */
import { BitNumbering } from '../model/layouts/render';

export interface ServerSettings {
  readonly bitNumbering: BitNumbering;
}

export const DEFAULT_SETTINGS: ServerSettings = { bitNumbering: 'lsb0' };

function isNumbering(v: unknown): v is BitNumbering {
  return v === 'lsb0' || v === 'msb0';
}

/**
 * Accepts the shapes clients send: `{ bitNumbering }`, `{ hover: { bitNumbering } }`,
 * `{ irqlab: { hover: { bitNumbering } } }` or a flat `{ 'irqlab.hover.bitNumbering': v }`.
 */
export function settingsFrom(raw: unknown, base: ServerSettings = DEFAULT_SETTINGS): ServerSettings {
  if (!raw || typeof raw !== 'object') return base;
  const r = raw as Record<string, unknown>;
  const candidates: unknown[] = [
    r['irqlab.hover.bitNumbering'],
    r.bitNumbering,
    (r.hover as Record<string, unknown> | undefined)?.bitNumbering,
    ((r.irqlab as Record<string, unknown> | undefined)?.hover as Record<string, unknown> | undefined)?.bitNumbering,
  ];
  const numbering = candidates.find(isNumbering);
  return numbering ? { ...base, bitNumbering: numbering } : base;
}
