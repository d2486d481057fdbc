/**
 * The shape of a request's params, checked before a handler reads them: a
 * client that sends `null`, a number or a document without a uri gets
 * `-32602 Invalid params` with a sentence saying what is missing, instead of
 * an internal error quoting JavaScript.
 */
export type ParamPart = 'position' | 'range' | 'context' | 'newName';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPosition(v: unknown): boolean {
  // Integers; positions past either end are clamped by the handlers, as LSP asks.
  return isObject(v) && Number.isInteger(v.line) && Number.isInteger(v.character);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Why `params` of request `method` cannot be used, or null when it has every part the handler reads. */
export function invalidParams(method: string, params: unknown, parts: readonly ParamPart[] = []): string | null {
  if (!isObject(params)) return `${method} needs an object as params, not ${describe(params)}.`;
  const doc = params.textDocument;
  if (!isObject(doc) || typeof doc.uri !== 'string') return `${method} needs params.textDocument.uri, a string.`;
  for (const part of parts) {
    switch (part) {
      case 'position':
        if (!isPosition(params.position)) return `${method} needs params.position as { line, character }, integers.`;
        break;
      case 'range':
        if (!isObject(params.range) || !isPosition(params.range.start) || !isPosition(params.range.end)) {
          return `${method} needs params.range as { start, end }, each { line, character }.`;
        }
        break;
      case 'context':
        if (!isObject(params.context)) return `${method} needs params.context, an object.`;
        break;
      case 'newName':
        if (typeof params.newName !== 'string') return `${method} needs params.newName, a string.`;
        break;
    }
  }
  return null;
}

/** `initialize` needs an object (its fields are all optional). */
export function invalidInitializeParams(params: unknown): string | null {
  return isObject(params) ? null : `initialize needs an object as params, not ${describe(params)}.`;
}
