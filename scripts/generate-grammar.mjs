// Writes syntaxes/irq.tmLanguage.json from the parser's KEYWORDS and the model's
// tables (src/server/grammar.ts), and syntaxes/qemu-trace.tmLanguage.json from the trace
// reader's event prefixes (src/server/trace-grammar.ts). Run: node --import tsx scripts/generate-grammar.mjs
// test/server/grammar.test.ts and trace-grammar.test.ts fail when a committed file is out of date.
import { writeFileSync } from 'node:fs';
import { grammarFileText } from '../src/server/grammar.ts';
import { KEYWORDS } from '../src/dsl/index.ts';
import { traceGrammarFileText } from '../src/server/trace-grammar.ts';

writeFileSync(new URL('../syntaxes/irq.tmLanguage.json', import.meta.url), grammarFileText(KEYWORDS));
console.log('wrote syntaxes/irq.tmLanguage.json');
writeFileSync(new URL('../syntaxes/qemu-trace.tmLanguage.json', import.meta.url), traceGrammarFileText());
console.log('wrote syntaxes/qemu-trace.tmLanguage.json');
