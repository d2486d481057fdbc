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

let registryPromise: Promise<vsctm.Registry> | undefined;

export const GRAMMAR_PATH = path.join(process.cwd(), 'syntaxes', 'irq.tmLanguage.json');
export const TRACE_GRAMMAR_PATH = path.join(process.cwd(), 'syntaxes', 'qemu-trace.tmLanguage.json');

/** The committed grammar files by scope name. */
const GRAMMAR_FILES: Readonly<Record<string, string>> = { 'source.irq': GRAMMAR_PATH, 'source.qemu-trace': TRACE_GRAMMAR_PATH };

function registry(): Promise<vsctm.Registry> {
  registryPromise ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    return new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) => {
        const file = GRAMMAR_FILES[scopeName];
        return file ? vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
      },
    });
  })();
  return registryPromise;
}

async function loadGrammar(scopeName: string): Promise<vsctm.IGrammar> {
  const grammar = await (await registry()).loadGrammar(scopeName);
  if (!grammar) throw new Error(`${scopeName} grammar did not load`);
  return grammar;
}

/** Tokens of `text` by the committed grammar of `scopeName` (default: the .irq language). */
export async function tokenize(text: string, scopeName = 'source.irq'): Promise<Token[]> {
  const grammar = await loadGrammar(scopeName);
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
