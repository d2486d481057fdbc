/**
 * "IRQ Lab: Decode 64-bit Word": the selection (or the number under the cursor, or an
 * input box) → a layout from a quick pick → the fields, straight from the layout table
 * (no server round trip, so it works in any editor, in any file, even untrusted).
 * With arguments (`word`, `layout`) it runs without UI and returns the decoded fields.
 */
import * as vscode from 'vscode';
import { decodeWord } from '../model/layouts/codec';
import { bitRange, hexValue, hexWord, renderMarkdown, renderText, summarize, toJson, valueMeaning } from '../model/layouts/render';
import { isLayoutName, LAYOUTS, LAYOUT_NAMES, LayoutName } from '../model/layouts/table';
import type { Ctx } from './context';
import { parseWordText } from './word-text';

export interface DecodeResult {
  readonly layout: LayoutName;
  readonly word: string;
  readonly fields: Record<string, number>;
  readonly summary: string;
  readonly markdown: string;
}

const NUMBER_AT_CURSOR = /0x[0-9a-fA-F_]+|0b[01_]+|\d[\d_]*/;

function wordFromEditor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const selected = editor.document.getText(editor.selection).trim();
  if (selected) return selected;
  const range = editor.document.getWordRangeAtPosition(editor.selection.active, NUMBER_AT_CURSOR);
  return range ? editor.document.getText(range) : undefined;
}

async function askWord(initial: string | undefined): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'IRQ Lab: Decode 64-bit Word',
    prompt: 'A 64-bit word (0x…, 0b… or decimal; _ separators allowed)',
    value: initial,
    validateInput: (text) => {
      const parsed = parseWordText(text);
      return parsed.ok ? undefined : parsed.message;
    },
  });
}

async function pickLayout(word: bigint): Promise<LayoutName | undefined> {
  const items = LAYOUT_NAMES.map((name) => ({
    label: name,
    description: LAYOUTS[name].title,
    detail: summarize(decodeWord(name, word)) || '(all fields zero)',
    name,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Decode ${hexWord(word, 64)} as…`,
    matchOnDescription: true,
    placeHolder: 'Which word layout? (each line previews the decoded fields)',
  });
  return picked?.name;
}

export async function decodeWordCommand(ctx: Ctx, wordArg: unknown, layoutArg: unknown): Promise<DecodeResult | undefined> {
  const interactive = typeof wordArg !== 'string';
  const text = typeof wordArg === 'string' ? wordArg : (await askWord(wordFromEditor()));
  if (text === undefined) return undefined;
  const parsed = parseWordText(text);
  if (!parsed.ok) {
    void vscode.window.showErrorMessage(`IRQ Lab: cannot decode: ${parsed.message}`);
    return undefined;
  }
  let layout: LayoutName | undefined;
  if (typeof layoutArg === 'string') {
    if (!isLayoutName(layoutArg)) {
      void vscode.window.showErrorMessage(`IRQ Lab: unknown layout '${layoutArg}' (known: ${LAYOUT_NAMES.join(', ')})`);
      return undefined;
    }
    layout = layoutArg;
  } else {
    layout = await pickLayout(parsed.word);
  }
  if (!layout) return undefined;

  const numbering = ctx.settings().hoverBitNumbering;
  const decoded = decodeWord(layout, parsed.word);
  const def = LAYOUTS[layout];
  ctx.output.info(`decode\n${renderText(decoded, numbering)}`);
  const result: DecodeResult = {
    layout,
    word: hexWord(decoded.word, def.width),
    fields: toJson(decoded).fields,
    summary: summarize(decoded),
    markdown: renderMarkdown(decoded, numbering),
  };
  if (interactive) {
    // The fields as a list the user can read and filter; picking one copies `name=value`.
    const field = await vscode.window.showQuickPick(
      decoded.fields.map((d) => ({
        label: `${d.field.name} = ${hexValue(d.value, d.field.width)}`,
        description: `${bitRange(d.field, def.width, numbering)}  ${d.value}`,
        detail: valueMeaning(d.field, d.value) ?? d.field.meaning,
        copy: `${d.field.name}=${hexValue(d.value, d.field.width)}`,
      })),
      { title: `${layout} ${result.word} — ${result.summary || 'all fields zero'}`, matchOnDetail: true, placeHolder: 'Select a field to copy name=value' },
    );
    if (field) await vscode.env.clipboard.writeText(field.copy);
  }
  return result;
}
