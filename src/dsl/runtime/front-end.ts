/** The front end functions the runtime uses (one place to import them from). */
import type { Diagnostic, Program } from '../ast';
import { parse } from '../parser';

export { parse };

export interface CheckOptions {
  readFile?: (uri: string) => string | undefined;
  resolveInclude?: (fromUri: string, path: string) => string;
}

export function analyze(text: string, uri?: string, _options?: CheckOptions): { program: Program; diagnostics: Diagnostic[] } {
  const program = parse(text, uri);
  return { program, diagnostics: [...program.diagnostics] };
}
