/**
 * The compiled line scanner (src/trace/wasm/line-scanner.wat, built to
 * dist/line-scanner.wasm by `npm run build`), loaded once per thread. Absent
 * or unusable, the reader thread reads every line in JavaScript (the same
 * batches); IRQLAB_LINE_SCANNER=off asks for that (the bench compares both).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Beside the bundle (dist/), or the built one seen from the compiled sources (out/src/cli/, tests). */
const CANDIDATES = [join(__dirname, 'line-scanner.wasm'), join(__dirname, '..', '..', '..', 'dist', 'line-scanner.wasm')];

let loaded: WebAssembly.Module | null | undefined;

export function loadLineScanner(): WebAssembly.Module | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (process.env.IRQLAB_LINE_SCANNER === 'off') return loaded;
  for (const path of CANDIDATES) {
    try {
      loaded = new WebAssembly.Module(readFileSync(path));
      break;
    } catch {
      // Not there, or not a module this Node can compile: the next, else JavaScript.
    }
  }
  return loaded;
}
