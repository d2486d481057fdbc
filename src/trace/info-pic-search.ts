/**
 * When was this `info pic` dump taken? QEMU's monitor does not say, and QEMU
 * keeps tracing after it. The model's state is compared with the dump along
 * the replay: every `every` steps on a first pass (the closest sample), then
 * at every step around it on a second pass; the step where the fewest fields
 * differ (the latest of equals) is where the dump was taken. Pure: the caller
 * replays and calls in.
 */
import type { VmState } from '../model/state';
import { checkReplayInfoPic, ReplayInfoPicCheck } from './info-pic-check';

export interface DumpMatch {
  /** 1-based index of the step after which the state was compared (0: before any). */
  readonly step: number;
  readonly file: number;
  readonly line: number;
  /** The comparison there (its `model` is the model's dump at that step). */
  readonly check: ReplayInfoPicCheck;
}

export const DEFAULT_SAMPLE_EVERY = 1024;

export class InfoPicSearch {
  private bestSample = -1;
  private bestSampleDifferences = Infinity;
  private best: DumpMatch | null = null;

  constructor(private readonly dumpText: string, readonly every = DEFAULT_SAMPLE_EVERY) {}

  /** First pass: after step `step` (1-based). */
  sample(step: number, vm: VmState): void {
    if (step % this.every !== 0) return;
    const n = checkReplayInfoPic(this.dumpText, vm).differences.length;
    if (n <= this.bestSampleDifferences) {
      this.bestSampleDifferences = n;
      this.bestSample = step;
    }
  }

  /** First pass over: the sample after the last step too (a trace that ends at the dump). */
  endSampling(steps: number, vm: VmState): void {
    if (steps % this.every !== 0) {
      const n = checkReplayInfoPic(this.dumpText, vm).differences.length;
      if (n <= this.bestSampleDifferences) {
        this.bestSampleDifferences = n;
        this.bestSample = steps;
      }
    }
  }

  /** The steps the second pass compares at: one sample interval either side of the closest sample. */
  get window(): { readonly from: number; readonly to: number } {
    const at = Math.max(this.bestSample, 0);
    return { from: Math.max(0, at - this.every), to: at + this.every };
  }

  /** Second pass: after step `step` of (file, line); returns false past the window (stop the replay). */
  refine(step: number, file: number, line: number, vm: VmState): boolean {
    const { from, to } = this.window;
    if (step > to) return false;
    if (step < from) return true;
    const check = checkReplayInfoPic(this.dumpText, vm);
    if (this.best === null || check.differences.length <= this.best.check.differences.length) {
      this.best = { step, file, line, check };
    }
    return step < to;
  }

  /** The step where the model is closest to the dump (null before the second pass saw any). */
  get match(): DumpMatch | null {
    return this.best;
  }
}
