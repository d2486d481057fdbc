/**
 * The trace layer's replay (src/trace) as the debugger's TraceReplayCore:
 * its translator turns lines into model steps once, as the debugger indexes
 * the trace; `applyStep` replays a step on a VM, so the replay state is the
 * VM alone and a checkpoint is a VM snapshot.
 */
import { createVm, snapshotVm } from '../model';
import type { VmState } from '../model/state';
import { applyStep, createTranslator, describeStep, LINE_EVENT, TextLineScanner } from '../trace';
import type { TraceStep } from '../trace';
import type { TraceReplayCore } from './execution/trace-program';

/** Rough bytes of one VM snapshot: a device's fixed tables, guest pages (queues), source blocks, presenters. */
function approxBytes(vm: VmState): number {
  const blocks = vm.device ? vm.device.blockIds.length : 0;
  return 4096 + (vm.device ? 96 * 1024 : 0) + vm.memory.pages.size * 65536 + blocks * 1024 * 24 + vm.vcpus.length * 2048;
}

const TIME = /^\d+@(\d+(?:\.\d+)?):/;

export function createTraceReplayCore(): TraceReplayCore<VmState, TraceStep> | string {
  return {
    translator: () => {
      const tr = createTranslator();
      const lines = new TextLineScanner();
      return {
        push: (file, line, text) => (lines.scan(text) === LINE_EVENT ? tr.push({ file, line, event: lines.event }) : []),
        finish: () => tr.finish(),
      };
    },
    timeOf: (line) => {
      const m = TIME.exec(line);
      return m ? Number(m[1]) : null;
    },
    initial: () => createVm(),
    vm: (s) => s,
    clone: (s) => snapshotVm(s),
    approxBytes,
    apply: (vm, step) => {
      const o = applyStep(vm, step);
      const failures = o.divergences.map((d) => ({
        ok: false,
        what: `${d.what} of ${d.operation}`,
        qemu: d.qemu,
        model: d.model,
        ...(d.reason || d.state ? { reason: [d.reason, d.state].filter((x) => x).join('; ') } : {}),
      }));
      return { result: { ok: failures.length === 0, display: describeStep(step) }, checked: o.checks, failures };
    },
    operationNames: (step) => {
      switch (step.op) {
        case 'hcall': return ['hcall', step.name];
        case 'check-presenter': return [step.event];
        case 'esb-load': case 'esb-store': return ['esb', step.op];
        case 'tima-load': case 'tima-store': return ['tima', step.op];
        default: return [step.op];
      }
    },
  };
}
