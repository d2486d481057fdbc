/**
 * Text renderings of decoded words, shared by hovers, inlay hints, the
 * Variables pane and the CLI. All derive from the layout table.
 */
import { consistencyProblemsOf, decodeWord, DecodedWord, rejectionsOf } from './codec';
import { FieldDef, LayoutName, LAYOUTS } from './table';

export type BitNumbering = 'lsb0' | 'msb0';

export function hexWord(word: bigint, width: 32 | 64): string {
  return '0x' + word.toString(16).padStart(width / 4, '0');
}

export function hexValue(value: number, width: number): string {
  const digits = Math.max(1, Math.ceil(width / 4));
  return '0x' + value.toString(16).padStart(digits, '0');
}

/** `[39:32]`, `[40]` in LSB-0; in MSB-0 the same bits as IBM numbers them. */
export function bitRange(f: FieldDef, width: 32 | 64, numbering: BitNumbering = 'lsb0'): string {
  const hiBit = f.lo + f.width - 1;
  if (numbering === 'lsb0') return f.width === 1 ? `[${f.lo}]` : `[${hiBit}:${f.lo}]`;
  const a = width - 1 - hiBit;
  const b = width - 1 - f.lo;
  return f.width === 1 ? `[${a}]` : `[${a}:${b}]`;
}

export function valueMeaning(f: FieldDef, value: number): string | undefined {
  const named = f.values?.[value];
  const rejected = f.rejects?.find((r) => r.value === value);
  if (rejected) return `${named ? named + ' — ' : ''}kernel rejects: ${rejected.reason}`;
  return named;
}

function summaryPart(f: FieldDef, value: number): string | undefined {
  const label = f.short ?? f.name;
  switch (f.summary) {
    case 'dec': return `${label}=${value}`;
    case 'hex': return `${label}=0x${value.toString(16)}`;
    case 'hex2': return `${label}=0x${value.toString(16).padStart(2, '0')}`;
    case 'flag': return value ? label : undefined;
    case 'none': return undefined;
  }
}

/** One line: `prio=5 server=3 masked eisn=0x1300`. */
export function summarize(decoded: DecodedWord): string {
  return decoded.fields
    .map((d) => summaryPart(d.field, d.value))
    .filter((s): s is string => s !== undefined)
    .join(' ');
}

export function summarizeWord(layout: LayoutName, word: bigint): string {
  return summarize(decodeWord(layout, word));
}

/** `name [hi:lo] = value (meaning)`, the Variables pane label of a field. */
export function fieldLabel(f: FieldDef, value: number, width: 32 | 64, numbering: BitNumbering = 'lsb0'): string {
  const meaning = valueMeaning(f, value);
  return `${f.name} ${bitRange(f, width, numbering)} = ${hexValue(value, f.width)}${meaning ? ` (${meaning})` : ''}`;
}

/** ESR-decoder style text block for the CLI: one line per field. */
export function renderText(decoded: DecodedWord, numbering: BitNumbering = 'lsb0'): string {
  const def = LAYOUTS[decoded.layout];
  const lines = [`${def.name} ${hexWord(decoded.word, def.width)}  ${def.title}`];
  const rangeW = Math.max(...def.fields.map((f) => bitRange(f, def.width, numbering).length));
  const nameW = Math.max(...def.fields.map((f) => f.name.length));
  for (const d of decoded.fields) {
    const meaning = valueMeaning(d.field, d.value);
    lines.push(
      `  ${bitRange(d.field, def.width, numbering).padEnd(rangeW)}  ${d.field.name.padEnd(nameW)}  ` +
        `${hexValue(d.value, d.field.width).padEnd(10)} ${String(d.value).padStart(10)}  ${meaning ?? d.field.meaning}`,
    );
  }
  if (decoded.ignoredBits !== 0n && def.ignored) lines.push(`  note: ${def.ignored.note}; set here: 0x${decoded.ignoredBits.toString(16)}`);
  for (const r of rejectionsOf(decoded)) lines.push(`  warning: ${r.field.name} ${r.value}: ${r.reason}`);
  for (const p of consistencyProblemsOf(decoded)) lines.push(`  warning: the kernel refuses this word with EINVAL: ${p}`);
  if (def.note) lines.push(`  note: ${def.note}`);
  return lines.join('\n');
}

/** Markdown table for hovers. */
export function renderMarkdown(decoded: DecodedWord, numbering: BitNumbering = 'lsb0'): string {
  const def = LAYOUTS[decoded.layout];
  const out: string[] = [];
  out.push(`**${def.title}** \`${def.name}\` — \`${hexWord(decoded.word, def.width)}\``);
  out.push('');
  out.push(`| bits (${numbering === 'lsb0' ? 'LSB-0, as in the KVM uapi' : 'IBM MSB-0'}) | field | hex | dec | meaning |`);
  out.push('|---|---|---|---|---|');
  for (const d of decoded.fields) {
    const meaning = valueMeaning(d.field, d.value) ?? d.field.meaning;
    out.push(`| \`${bitRange(d.field, def.width, numbering)}\` | ${d.field.name} | \`${hexValue(d.value, d.field.width)}\` | ${d.value} | ${meaning.replace(/\|/g, '\\|')} |`);
  }
  out.push('');
  if (decoded.ignoredBits !== 0n && def.ignored) out.push(`⚠ ${def.ignored.note}; this word sets 0x${decoded.ignoredBits.toString(16)}.`);
  for (const r of rejectionsOf(decoded)) out.push(`⚠ **The kernel rejects this word (-EINVAL)**: ${r.field.name} ${r.value} — ${r.reason}.`);
  for (const p of consistencyProblemsOf(decoded)) out.push(`⚠ **The kernel rejects this word (-EINVAL)**: ${p}.`);
  if (def.note) out.push(def.note);
  out.push(`${def.where} · spec ${def.section}`);
  return out.join('\n');
}

/** The JSON shape of `irqlab decode --json`: `{ layout, word, fields: { name: integer } }`. */
export function toJson(decoded: DecodedWord): { layout: LayoutName; word: string; fields: Record<string, number> } {
  const fields: Record<string, number> = {};
  for (const d of decoded.fields) fields[d.field.name] = d.value;
  return { layout: decoded.layout, word: hexWord(decoded.word, 64), fields };
}
