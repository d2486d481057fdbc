/**
 * The parts of a DAP request every handler relies on, checked before any
 * handler runs: a request without a numeric `seq` (or without a command)
 * is answered with an error, never executed, because its response could not
 * be matched to it. `initialize` without `pathFormat` means `path`, the
 * specification's default.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { escapeExcerpt } from '../edge/escape-text';

function shown(value: unknown): string {
  if (value === undefined) return 'none';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return escapeExcerpt(text, 40);
}

/** An error response to send instead of running the request, or null when its envelope is sound. */
export function checkRequestEnvelope(request: DebugProtocol.Request): { response: DebugProtocol.Response; message: string } | null {
  const raw = request as unknown as Record<string, unknown>;
  const seq = raw.seq;
  const command = raw.command;
  const seqOk = typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0;
  const commandOk = typeof command === 'string' && command.length > 0;
  if (seqOk && commandOk) return null;
  const response: DebugProtocol.Response = {
    type: 'response', seq: 0, request_seq: seqOk ? seq : 0, command: commandOk ? command : '', success: false,
  };
  const message = !seqOk
    ? `request not run: its 'seq' must be a non-negative integer (got ${shown(seq)}), so no response could be matched to it`
    : `request not run: its 'command' must be a non-empty string (got ${shown(command)})`;
  return { response, message };
}

/** `initialize` arguments with the DAP default `pathFormat: 'path'` filled in (the library refuses a missing one). */
export function withDefaultPathFormat(request: DebugProtocol.Request): DebugProtocol.Request {
  const args = request.arguments as Record<string, unknown> | null | undefined;
  const given = typeof args === 'object' && args !== null && !Array.isArray(args) ? args : {};
  if (given.pathFormat !== undefined) return request;
  return { ...request, arguments: { ...given, pathFormat: 'path' } };
}
