/**
 * A message reader in front of the JSON-RPC connection that answers a
 * request whose params are present but not an object (`null`, a number, a
 * string, an array) with -32602 Invalid params and a sentence, before the
 * library or a handler reads a field of them (the library's own
 * `initialize` would answer -32603 "Cannot read properties of null").
 * LSP gives every method params by name; `shutdown` and `exit` take none.
 */
import type { Message, MessageReader, MessageWriter, RequestMessage, NotificationMessage } from 'vscode-languageserver/node';
import { escapeExcerpt } from '../edge/escape-text';
import { describe } from './params';

const WITHOUT_PARAMS = new Set(['shutdown', 'exit']);
const INVALID_PARAMS = -32602;

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why a request's or notification's params cannot be used, or null. */
export function malformedParams(method: string, params: unknown, present: boolean): string | null {
  if (WITHOUT_PARAMS.has(method) || isObject(params)) return null;
  if (!present) {
    // Absent params are fine for a method without any; these always have some.
    return method === 'initialize' || method.startsWith('textDocument/') ? `${escapeExcerpt(method, 80)} needs params, an object; none were given.` : null;
  }
  return `${escapeExcerpt(method, 80)} needs an object as params, not ${describe(params)}.`;
}

export function rejectMalformedParams(reader: MessageReader, writer: MessageWriter, log: (text: string) => void): MessageReader {
  return {
    onError: reader.onError,
    onClose: reader.onClose,
    onPartialMessage: reader.onPartialMessage,
    dispose: () => reader.dispose(),
    listen: (callback) => reader.listen((message: Message) => {
      const m = message as Partial<RequestMessage & NotificationMessage>;
      const problem = typeof m.method === 'string' ? malformedParams(m.method, m.params, 'params' in m) : null;
      if (!problem) return callback(message);
      if (m.id !== undefined && m.id !== null) {
        void writer.write({ jsonrpc: '2.0', id: m.id, error: { code: INVALID_PARAMS, message: problem } } as Message);
      } else {
        log(`notification dropped: ${problem}`);
      }
    }),
  };
}
