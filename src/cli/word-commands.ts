/** `irqlab decode LAYOUT WORD...` and `irqlab encode LAYOUT name=value...`. */
import {
  decodeWord, describeEncodeError, encodeWord, hexWord, isLayoutName, LayoutName, LAYOUT_NAMES, LAYOUTS,
  renderText, toJson, BitNumbering,
} from '../model/layouts';
import { parseNumberText } from '../dsl/lexer';
import { CliIo, escapeControlBytes, EXIT_OK, EXIT_USAGE } from './io';

/** A number exactly as `.irq` files write it (the lexer's own rule): the value, or why not. */
export function parseCliNumber(text: string): bigint | undefined {
  return parseNumberText(text).value ?? undefined;
}

const NUMBER_SYNTAX = "numbers as in .irq files: decimal, 0x..., 0b..., '_' only between two digits";

/** Why `text` is not a number, as one escaped line. */
function notANumber(text: string): string {
  const problem = parseNumberText(text).problem ?? `malformed number '${text}'`;
  return `${escapeControlBytes(problem)} (${NUMBER_SYNTAX})`;
}

/** Element 1 of a 128-bit VP_STATE value: what the kernel does with it. */
function vpStateElement1Line(element1: bigint): string {
  const what = 'unused: kvmppc_xive_native_set_vp ignores it and get_vp leaves it as the caller zeroed it';
  return element1 === 0n
    ? `  element 1 ${hexWord(element1, 64)}  ${what}`
    : `  element 1 ${hexWord(element1, 64)}  warning: not zero; ${what}, so this value is lost`;
}

function layoutList(): string {
  return LAYOUT_NAMES.map((n) => `  ${n.padEnd(20)} ${LAYOUTS[n].title}`).join('\n');
}

export const DECODE_HELP = `usage: irqlab decode [--json] [--msb0] LAYOUT WORD...

Prints each word's fields: bit range, name, hex, decimal and meaning.
  --json   one JSON array, an object per word: { "layout", "word", "fields": { name: integer } }
  --msb0   show bit ranges in IBM MSB-0 numbering (default LSB-0, as in the KVM uapi)

Layouts:
${layoutList()}
`;

export const ENCODE_HELP = `usage: irqlab encode [--json] LAYOUT name=value...

Prints the word (0x%016x) with the named fields set (unnamed fields are 0).
An unknown field or a value wider than its field is an error (exit 2).

Layouts:
${layoutList()}
`;

function checkLayout(name: string | undefined, io: CliIo, help: string): LayoutName | undefined {
  if (name === undefined) {
    io.stderr(`irqlab: missing LAYOUT\n\n${help}`);
    return undefined;
  }
  if (!isLayoutName(name)) {
    io.stderr(`irqlab: unknown layout '${escapeControlBytes(name)}'; known layouts: ${LAYOUT_NAMES.join(', ')}\n`);
    return undefined;
  }
  return name;
}

export function decodeCommand(args: readonly string[], io: CliIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(DECODE_HELP);
    return EXIT_OK;
  }
  const json = args.includes('--json');
  const numbering: BitNumbering = args.includes('--msb0') ? 'msb0' : 'lsb0';
  const unknownFlag = args.find((a) => a.startsWith('--') && a !== '--json' && a !== '--msb0');
  if (unknownFlag) {
    io.stderr(`irqlab decode: unknown option ${escapeControlBytes(unknownFlag)}\n\n${DECODE_HELP}`);
    return EXIT_USAGE;
  }
  const positional = args.filter((a) => !a.startsWith('--'));
  const layout = checkLayout(positional[0], io, DECODE_HELP);
  if (!layout) return EXIT_USAGE;
  const words = positional.slice(1);
  if (words.length === 0) {
    io.stderr(`irqlab decode: give at least one WORD to decode as ${layout}\n`);
    return EXIT_USAGE;
  }
  const width = LAYOUTS[layout].width;
  // KVM_REG_PPC_VP_STATE is a 128-bit ONE_REG (xive_timaval[2]): a value wider than 64 bits is
  // both elements, element 0 written first (high half), element 1 second.
  const registerWidth = layout === 'xive-vp-state' ? 128 : width;
  const texts: string[] = [];
  const jsons: unknown[] = [];
  for (const text of words) {
    const w = parseCliNumber(text);
    if (w === undefined) {
      io.stderr(`irqlab decode: ${notANumber(text)}\n`);
      return EXIT_USAGE;
    }
    if (w >= 1n << BigInt(registerWidth)) {
      io.stderr(`irqlab decode: ${escapeControlBytes(text)} does not fit in a ${registerWidth}-bit ${layout} ${registerWidth > width ? 'register' : 'word'}\n`);
      return EXIT_USAGE;
    }
    if (w >= 1n << BigInt(width)) {
      const element0 = w >> 64n;
      const element1 = BigInt.asUintN(64, w);
      const d = decodeWord(layout, element0);
      texts.push(`${renderText(d, numbering)}\n${vpStateElement1Line(element1)}`);
      jsons.push({ ...toJson(d), element1: hexWord(element1, 64), element1Used: false });
    } else {
      const d = decodeWord(layout, w);
      texts.push(renderText(d, numbering));
      jsons.push(toJson(d));
    }
  }
  if (json) io.stdout(JSON.stringify(jsons, null, 2) + '\n');
  else io.stdout(texts.join('\n\n') + '\n');
  return EXIT_OK;
}

export function encodeCommand(args: readonly string[], io: CliIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(ENCODE_HELP);
    return EXIT_OK;
  }
  const json = args.includes('--json');
  const unknownFlag = args.find((a) => a.startsWith('--') && a !== '--json');
  if (unknownFlag) {
    io.stderr(`irqlab encode: unknown option ${escapeControlBytes(unknownFlag)}\n\n${ENCODE_HELP}`);
    return EXIT_USAGE;
  }
  const positional = args.filter((a) => !a.startsWith('--'));
  const layout = checkLayout(positional[0], io, ENCODE_HELP);
  if (!layout) return EXIT_USAGE;
  const values: Record<string, bigint> = {};
  const givenAs = new Map<string, string>();
  for (const assignment of positional.slice(1)) {
    const m = /^([a-z_#]+)=(.*)$/is.exec(assignment);
    if (!m) {
      io.stderr(`irqlab encode: '${escapeControlBytes(assignment)}' is not name=value\n`);
      return EXIT_USAGE;
    }
    const v = parseCliNumber(m[2]);
    if (v === undefined) {
      io.stderr(`irqlab encode: ${m[1]}: ${notANumber(m[2])}\n`);
      return EXIT_USAGE;
    }
    const name = m[1].toLowerCase();
    const earlier = givenAs.get(name);
    if (earlier !== undefined) {
      io.stderr(`irqlab encode: field '${name}' is given twice ('${escapeControlBytes(earlier)}' and '${escapeControlBytes(assignment)}'): give each field once\n`);
      return EXIT_USAGE;
    }
    givenAs.set(name, assignment);
    values[name] = v;
  }
  const r = encodeWord(layout, values);
  if (!r.ok) {
    io.stderr(`irqlab encode: ${describeEncodeError(layout, r.error)}\n`);
    return EXIT_USAGE;
  }
  if (json) io.stdout(JSON.stringify(toJson(decodeWord(layout, r.word))) + '\n');
  else io.stdout(hexWord(r.word, 64) + '\n');
  return EXIT_OK;
}
