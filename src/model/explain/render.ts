/** Plain-text rendering of an explanation (the CLI, the Debug Console, the language server's hover). */
import type { Explanation, ExplainLink, Suggestion } from './types';

const MARK: Record<ExplainLink['verdict'], string> = { ok: 'ok    ', blocks: 'BLOCKS', warning: 'warn  ' };

function facts(l: ExplainLink): string {
  return Object.entries(l.state).map(([k, v]) => `${k}=${v}`).join(' ');
}

function chainLines(chain: readonly ExplainLink[], stoppedAt: number | null): string[] {
  const out: string[] = [];
  chain.forEach((l, i) => {
    out.push(`  ${MARK[l.verdict]} ${l.title}${facts(l) ? `  [${facts(l)}]` : ''}`);
    out.push(`         ${l.reason}${l.rule ? ` (${l.rule})` : ''}`);
    if (i === stoppedAt) out.push('         ^ stops here');
  });
  return out;
}

function nextLines(next: readonly Suggestion[]): string[] {
  if (next.length === 0) return [];
  return ['next:', ...next.map((s) => `  - ${s.text}${s.statement ? `: ${s.statement}` : ''}`)];
}

export function renderExplanation(e: Explanation): string {
  switch (e.kind) {
    case 'source': {
      const head = `source 0x${(e.irq >>> 0).toString(16)} (${e.device ?? 'no device'}): ${e.summary}`;
      return [head, ...chainLines(e.chain, e.stoppedAt), ...nextLines(e.next)].join('\n');
    }
    case 'vcpu': {
      const lines = [`vCPU ${e.vcpu} (${e.device ?? 'no device'}): ${e.summary}`, ...chainLines(e.chain, null)];
      if (e.pending.length > 0) lines.push('pending:', ...e.pending.map((p) => `  - priority ${p.priority}${p.xisr !== undefined ? ` (XISR 0x${p.xisr.toString(16)})` : ''}: ${p.reason}`));
      if (e.presentsNext) lines.push(`presents next: priority ${e.presentsNext.priority}: ${e.presentsNext.reason}`);
      if (e.queues.length > 0) lines.push('queues:', ...e.queues.map((q) => `  - priority ${q.priority}: ${q.unread} unread of ${q.entries}, index ${q.index}, generation ${q.generation}`));
      return [...lines, ...nextLines(e.next)].join('\n');
    }
    case 'queue-entry': {
      const lines = [e.summary];
      if (e.writtenAt) {
        lines.push(`written at step ${e.writtenAt.step}, ${e.writtenAt.uri}:${e.writtenAt.line + 1}: ${e.writtenAt.statement}${e.writtenAt.sources.length ? ` (source ${e.writtenAt.sources.map((s) => `0x${s.toString(16)}`).join(', ')})` : ''}`);
      }
      return lines.join('\n');
    }
  }
}
