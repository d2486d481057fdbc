/**
 * Steps → `.irq` text: one statement per operation, QEMU's value as the
 * expectation, and a `# file:line` comment back to the trace. A presenter
 * event becomes a comment stating QEMU's registers: the language has no
 * side-effect-free read of a running vCPU's OS ring (`get vp` is the KVM
 * VP_STATE ioctl, which reports the saved context, and a TIMA load would push
 * the vCPU), so `irqlab replay` is what checks them.
 */
import { describeStep } from './apply';
import type { TraceStep } from './steps';

function hex(v: number | bigint): string {
  return `0x${v.toString(16)}`;
}

export function scenarioHeader(title: string, files: readonly string[]): string {
  return [
    `# Imported from a QEMU trace by irqlab import qemu-trace (${files.join(', ')}).`,
    '# One statement per guest/device operation; QEMU\'s values are the expectations;',
    '# the comment at the end of each line names the trace line it comes from.',
    `scenario "${title.replace(/["\\]/g, '_')}"`,
    '',
  ].join('\n');
}

/** The scenario line of one step (no trailing newline). */
export function stepToScenarioLines(s: TraceStep, files: readonly string[]): string {
  const where = `# ${files[s.file] ?? '?'}:${s.line}`;
  switch (s.op) {
    case 'esb-load':
    case 'tima-load':
      return `${describeStep(s)} -> ${hex(s.expect)}  ${where}`;
    case 'hcall':
      return `${describeStep(s)}${s.expect === null ? '' : ` -> { r4 ${hex(s.expect)} }`}  ${where}`;
    case 'check-presenter': {
      const f = s.facts;
      const parts: string[] = [];
      if (f.nsr !== null) parts.push(`NSR=${hex(f.nsr)}`);
      if (f.cppr !== null) parts.push(`CPPR=${hex(f.cppr)}`);
      if (f.ipb !== null) parts.push(`IPB=${hex(f.ipb)}`);
      if (f.pipr !== null) parts.push(`PIPR=${hex(f.pipr)}`);
      return `# ${files[s.file] ?? '?'}:${s.line} ${s.event}: vCPU ${s.vcpu} ${parts.join(' ')} (checked by irqlab replay)`;
    }
    case 'check-icp': {
      const f = s.facts;
      const parts: string[] = [];
      if (f.cppr !== null) parts.push(`CPPR=${hex(f.cppr)}`);
      if (f.xisr !== null) parts.push(`XISR=${hex(f.xisr)}`);
      if (f.ppri !== null) parts.push(`PPRI=${hex(f.ppri)}`);
      if (f.mfrr !== null) parts.push(`MFRR=${hex(f.mfrr)}`);
      return `# ${files[s.file] ?? '?'}:${s.line} ${s.event}: vCPU ${s.vcpu} ${parts.join(' ')} (checked by irqlab replay)`;
    }
    case 'rtas':
      return `${describeStep(s)} -> 0  ${where}`;
    case 'set-source':
      return `set source ${hex(s.irq)} = ${s.lsi ? '{ level_sensitive }' : '0'}  ${where}`;
    default:
      return `${describeStep(s)}  ${where}`;
  }
}
