/**
 * Texts the front end's equivalence tests run on: every example and fixture,
 * a generated scenario with many slices and batches, and an edit helper.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const URI = 'file:///work/scenario.irq';

/** Every example and fixture scenario, by repository path. */
export function corpus(): { name: string; text: string }[] {
  const dirs = ['examples', 'examples/lib', 'test/dsl/fixtures/parser', 'test/dsl/fixtures/runtime', 'test/debug/fixtures'];
  const out: { name: string; text: string }[] = [];
  for (const d of dirs) {
    let files: string[] = [];
    try {
      files = readdirSync(join(process.cwd(), d));
    } catch {
      continue;
    }
    for (const f of files) if (f.endsWith('.irq')) out.push({ name: `${d}/${f}`, text: readFileSync(join(process.cwd(), d, f), 'utf8') });
  }
  return out;
}

/** Replaces text[start, end) with `insert`. */
export function edit(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** One random edit: where (a fraction of the text's length), how many characters to remove there, what to insert. */
export type EditStep = [where: number, remove: number, insert: string];

/** Up to `maxLength` random edits inserting `pieces` or short random strings. */
export function editSteps(pieces: readonly string[], maxLength: number): fc.Arbitrary<EditStep[]> {
  const step = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 12 }), fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 4 })));
  return fc.array(step, { minLength: 1, maxLength });
}

export function applyEdit(text: string, [where, remove, insert]: EditStep): string {
  const start = Math.floor(where * text.length);
  return edit(text, start, Math.min(text.length, start + remove), insert);
}

/** A mid-sized scenario with many slices: lets, procs, devices, connects and words. */
export function generated(lines: number): string {
  const out = ['scenario "generated"', 'let uart = 0x1300', 'device xive', 'vcpu 1 connect', 'vcpu 0 connect',
    'proc route(irq, target, prio) {', '  set source_config irq = { priority prio, server target, eisn irq }', '}'];
  for (let i = 0; out.length < lines; i++) {
    switch (i % 9) {
      case 0: out.push(`# block ${i}`); break;
      case 1: out.push(`set source 0x${(0x1000 + i).toString(16)} = 0x0`); break;
      case 2: out.push('set eq_config server 1 priority 6 = {', '  flags always_notify, qshift 16,', '  qaddr 0x10000, qtoggle 1, qindex 0 }'); break;
      case 3: out.push(`call route(uart + ${i}, 1, 6)`); break;
      case 4: out.push(`tima vcpu ${i % 3} load16 0x810 -> 0x8006`); break;
      case 5: out.push(`let v${i} = uart + ${i}`); break;
      case 6: out.push(`repeat 2 as k {`, `  esb uart + k load 0xc00 -> 1`, `}`); break;
      case 7: out.push(`hcall vcpu 1 H_INT_SET_SOURCE_CONFIG flags 0x2, lisn v${i - 2}, target 1, priority 6, eisn 0x1300 -> H_SUCCESS`); break;
      default: out.push(`eq server 1 priority 6 -> [0x8000_1300, 0x8000_1301]`); break;
    }
  }
  return out.join('\n') + '\n';
}

