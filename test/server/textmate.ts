/**
 * Tokenizes text with the committed TextMate grammar through the same engine
 * VS Code uses (vscode-textmate + the oniguruma WASM build).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

export interface Token {
  readonly line: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

let registryPromise: Promise<vsctm.IGrammar> | undefined;

export const GRAMMAR_PATH = path.join(process.cwd(), 'syntaxes', 'irq.tmLanguage.json');

function loadGrammar(): Promise<vsctm.IGrammar> {
  registryPromise ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === 'source.irq' ? vsctm.parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null,
    });
    const grammar = await registry.loadGrammar('source.irq');
    if (!grammar) throw new Error('source.irq grammar did not load');
    return grammar;
  })();
  return registryPromise;
}

export async function tokenize(text: string): Promise<Token[]> {
  const grammar = await loadGrammar();
  const out: Token[] = [];
  let state = vsctm.INITIAL;
  text.split('\n').forEach((lineText, line) => {
    const r = grammar.tokenizeLine(lineText, state);
    for (const t of r.tokens) out.push({ line, text: lineText.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    state = r.ruleStack;
  });
  return out;
}

/** The innermost scope of the first token whose text is exactly `word`. */
export function scopeOf(tokens: readonly Token[], word: string): string | undefined {
  const t = tokens.find((x) => x.text === word);
  return t?.scopes[t.scopes.length - 1];
}
