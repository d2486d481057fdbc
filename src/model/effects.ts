/**
 * Silent effects: things an operation does that change no return value and
 * that a user would otherwise not see (a trigger dropped because PQ was 01,
 * a silent retarget, the kernel's no-change early-out swallowing `masked`,
 * an event left in IPB without NSR, a vCPU pulled out of the guest by a
 * ONE_REG access). The model writes one note at the place the rule is
 * applied; the interpreter collects the notes of one operation
 * (`collectEffects`) and every view (run --verbose, the Debug Console, the
 * Variables pane's Last operation) only prints them.
 *
 * The collector is module state, not VM state: snapshots (structuredClone)
 * must not carry notes, and with no collector active a note costs one test.
 */

export interface EffectNote {
  /** What happened, named as the Device scope's counter when there is one (`droppedPqOff`). */
  readonly event: string;
  /** One line in the user's terms, ending with the kernel/QEMU rule in parentheses. */
  readonly text: string;
}

let sink: EffectNote[] | null = null;

/** Records a silent effect when a collector is active (always cheap when none is). */
export function noteEffect(event: string, text: string): void {
  if (sink !== null) sink.push({ event, text });
}

/** Whether notes are being collected (lets a caller skip building an expensive note). */
export function collectingEffects(): boolean {
  return sink !== null;
}

/** Runs `fn` and returns what it returned with the notes it produced, in order. Nests. */
export function collectEffects<T>(fn: () => T): { value: T; notes: EffectNote[] } {
  const outer = sink;
  const notes: EffectNote[] = [];
  sink = notes;
  try {
    return { value: fn(), notes };
  } finally {
    sink = outer;
    if (outer !== null) outer.push(...notes);
  }
}
