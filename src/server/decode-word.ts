/** `irqlab/decodeWord`: a word decoded as one layout, or as all of them, for the Decode command. */
import { DecodedWordLayout, DecodeWordParams, DecodeWordResult } from '../protocol';
import { decodeWord, rejectionsOf } from '../model/layouts/codec';
import { bitRange, BitNumbering, hexValue, hexWord, summarize, valueMeaning } from '../model/layouts/render';
import { isLayoutName, LAYOUTS, LAYOUT_NAMES, LayoutName } from '../model/layouts/table';
import { wordMarkdown } from './hover';
import { parseWordText } from './words';

export function decodeAs(layout: LayoutName, word: bigint, numbering: BitNumbering): DecodedWordLayout {
  const def = LAYOUTS[layout];
  const decoded = decodeWord(layout, word);
  return {
    layout,
    title: def.title,
    word: hexWord(decoded.word, def.width),
    summary: summarize(decoded),
    markdown: wordMarkdown(layout, word, numbering),
    fields: decoded.fields.map((d) => {
      const meaning = valueMeaning(d.field, d.value);
      return {
        name: d.field.name,
        bits: bitRange(d.field, def.width, numbering),
        value: d.value,
        hex: hexValue(d.value, d.field.width),
        ...(meaning ? { meaning } : {}),
      };
    }),
    rejections: rejectionsOf(decoded).map((r) => `${r.field.name} ${r.value}: ${r.reason}`),
  };
}

export function decodeWordRequest(params: DecodeWordParams | null | undefined, defaultNumbering: BitNumbering): DecodeWordResult {
  if (!params || typeof params.word !== 'string') return { ok: false, message: 'expected { word: string, layout?: string }' };
  const word = parseWordText(params.word);
  if (word === null) return { ok: false, message: `'${params.word.slice(0, 40)}' is not a 64-bit number (0x hex, 0b binary or decimal; '_' allowed)` };
  if (params.layout !== undefined && !isLayoutName(params.layout)) {
    return { ok: false, message: `unknown layout '${String(params.layout)}' (layouts: ${LAYOUT_NAMES.join(', ')})` };
  }
  const numbering = params.numbering === 'msb0' || params.numbering === 'lsb0' ? params.numbering : defaultNumbering;
  const layouts = params.layout ? [params.layout] : LAYOUT_NAMES;
  const decodes = layouts.map((l) => decodeAs(l, word, numbering));
  return {
    ok: true,
    word: hexWord(word, 64),
    markdown: decodes.map((d) => d.markdown).join('\n\n---\n\n'),
    decodes,
  };
}
