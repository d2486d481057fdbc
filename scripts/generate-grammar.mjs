// Writes syntaxes/irq.tmLanguage.json from the parser's KEYWORDS and the model's
// tables (src/server/grammar.ts). Run: node --import tsx scripts/generate-grammar.mjs
// test/server/grammar.test.ts fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { grammarFileText } from '../src/server/grammar.ts';
import { KEYWORDS } from '../src/dsl/index.ts';

writeFileSync(new URL('../syntaxes/irq.tmLanguage.json', import.meta.url), grammarFileText(KEYWORDS));
console.log('wrote syntaxes/irq.tmLanguage.json');
