/**
 * The `readFile` callback the checker and the runtime take for includes
 * (text or undefined), over a reader that says why not: it remembers each
 * refusal so the include's diagnostic can carry the reason, and reads each
 * path once (a pipe such as `/dev/fd/3` can be read only once, and a file is
 * both checked and run).
 */
import type { ReadTextResult } from './read-text-file';

export interface IncludeReader {
  readonly readFile: (path: string) => string | undefined;
  /** "cannot read included file 'x' (PATH)" with the reason PATH was refused appended. */
  explain(message: string): string;
}

export function includeReader(read: (path: string) => ReadTextResult): IncludeReader {
  const failures = new Map<string, string>();
  const texts = new Map<string, string>();
  return {
    readFile: (path) => {
      const known = texts.get(path);
      if (known !== undefined) return known;
      const r = read(path);
      if (r.ok) {
        texts.set(path, r.text);
        return r.text;
      }
      failures.set(path, r.message);
      return undefined;
    },
    explain: (message) => {
      for (const [path, why] of failures) if (message.endsWith(`(${path})`)) return `${message}: ${why}`;
      return message;
    },
  };
}
