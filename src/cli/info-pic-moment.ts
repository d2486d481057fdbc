/**
 * `irqlab replay --compare-info-pic DUMP --at-epoch auto`: finds when the dump
 * was taken (src/trace/info-pic-search.ts) in two passes over the trace: the
 * whole replay sampling the model every so many steps, then a replay up to
 * just past the closest sample comparing at every step. The edge part: the
 * second pass remembers the stamps of the lines it read, to name the moment.
 */
import { createReplay, ReplaySummary, stampOf } from '../trace';
import { DumpMatch, InfoPicSearch } from '../trace/info-pic-search';
import { readTraceFiles } from './trace-input';
import { feedReplay } from './trace-records';

export interface InfoPicMoment {
  /** The whole trace's replay (divergences, counts). */
  readonly summary: ReplaySummary;
  /** The step after which the model is closest to the dump, with the comparison there. */
  readonly match: DumpMatch | null;
  /** The stamp of the match's line (NaN when the line has none). */
  readonly epoch: number;
}

/** Lines whose stamps are kept: a step comes out at most a few hundred lines after its own. */
const STAMP_RING = 4096;

export async function findInfoPicMoment(files: readonly string[], dumpText: string, maxDivergences: number, every?: number): Promise<InfoPicMoment> {
  const search = new InfoPicSearch(dumpText, every);
  let sampled = 0;
  const first = createReplay(files, { maxDivergences, onStep: (_s, _o, vm) => { search.sample(++sampled, vm); } });
  await feedReplay(files, first, null);
  const summary = first.end();
  search.endSampling(sampled, summary.vm);
  if (summary.unusable || sampled === 0) return { summary, match: null, epoch: NaN };

  const stamps = new Float64Array(STAMP_RING);
  const stampLine = new Int32Array(STAMP_RING).fill(-1);
  const stampFile = new Int32Array(STAMP_RING);
  let refined = 0;
  const second = createReplay(files, { onStep: (s, _o, vm) => search.refine(++refined, s.file, s.line, vm) });
  await readTraceFiles(files, (file, bytes, start, end, line, flags) => {
    const k = line & (STAMP_RING - 1);
    stamps[k] = stampOf(bytes, start, end);
    stampLine[k] = line;
    stampFile[k] = file;
    return second.pushBytes(file, bytes, start, end, line, flags);
  }, () => undefined);
  second.end();
  const match = search.match;
  let epoch = NaN;
  if (match !== null) {
    const k = match.line & (STAMP_RING - 1);
    if (stampLine[k] === match.line && stampFile[k] === match.file) epoch = stamps[k]!;
  }
  return { summary, match, epoch };
}
