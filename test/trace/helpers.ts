/** Shared by the trace tests: replay text in process through the pure layer. */
import { readFileSync } from 'node:fs';
import { createLineSplitter, createReplay, ReplaySummary, SplitLine } from '../../src/trace';

export const SAMPLE_2CPU = 'examples/qemu-7.2-xive-2cpu/trace.log';
/** Beside the checkout in CI; IRQLAB_SHARED_TRACES points elsewhere (a worktree). */
export const SHARED_TRACES = process.env.IRQLAB_SHARED_TRACES ?? '../shared/traces';

export function sampleLines(): string[] {
  const text = readFileSync(SAMPLE_2CPU, 'latin1');
  return text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
}

/** Replays whole lines (each terminated) as file 0 named `name`. */
export function replayText(text: string, name = 'trace.log', max = 50): ReplaySummary {
  const r = createReplay([name], { maxDivergences: max });
  const s = createLineSplitter();
  const sink = (l: SplitLine): void => { r.pushLine(0, l); };
  s.push(Buffer.from(text, 'latin1'), sink);
  s.end(sink);
  return r.end();
}

export function replayLines(lines: readonly string[]): ReplaySummary {
  return replayText(`${lines.join('\n')}\n`);
}
