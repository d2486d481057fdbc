/** The routing picture for the interrupt-map webview (`irqlab/interruptMap`), from the model's views. */
import { decodeToRecord } from '../model/layouts/codec';
import { hexWord, summarizeWord } from '../model/layouts/render';
import type { VmState } from '../model/state';
import { inspectDevice, inspectPresenters, inspectQueues, inspectSources } from '../model/views';
import { explainSource } from '../model/explain';
import { unreadEntries } from '../model/xive/queues';
import type { InterruptMapBlock, InterruptMapPresenter, InterruptMapQueue, InterruptMapResponseBody, InterruptMapSource } from '../protocol';
import { constantEnv, evaluateConstant, forEachStatement } from '../dsl';
import type { Program } from '../dsl/ast';
import { pqText } from './format';

/**
 * The 1-based line of the last statement in the text that configures each
 * source whose number is a constant there (`set source`, `set source_config`,
 * `attr set`): where the map's "reveal line" goes.
 */
export function configurationLines(program: Program): Map<number, number> {
  const env = constantEnv(program);
  const lines = new Map<number, number>();
  forEachStatement(program.statements, (s) => {
    const irqExpr = s.kind === 'set' ? s.irq : s.kind === 'attr' && s.op === 'set' ? s.attr : null;
    if (!irqExpr) return;
    const irq = evaluateConstant(irqExpr, env);
    if (irq !== null && irq >= 0n && irq <= 0xffffffffn) lines.set(Number(irq), s.span.line + 1);
  });
  return lines;
}

export const DEFAULT_MAP_SOURCES = 1000;

/** Which part of the map a stopping link belongs to. */
function blockOf(vm: VmState, irq: number): { route: string; blocked?: InterruptMapBlock } {
  const e = explainSource(vm, irq, { findEntry: false });
  if (e.stoppedAt === null) return { route: e.summary };
  const stop = e.chain[e.stoppedAt];
  const at: InterruptMapBlock['at'] = stop.link === 'target' || stop.link === 'eq' ? 'queue'
    : stop.link === 'vcpu' || stop.link === 'cppr' || stop.link === 'icp' ? 'presenter' : 'source';
  return { route: e.summary, blocked: { at, link: stop.link, short: stop.short, reason: stop.rule ? `${stop.reason} (${stop.rule})` : stop.reason } };
}

export function buildInterruptMap(vm: VmState, step: number, line: number | null, maxSources = DEFAULT_MAP_SOURCES, configuredAt?: ReadonlyMap<number, number>): InterruptMapResponseBody {
  const device = inspectDevice(vm);
  const limit = Number.isInteger(maxSources) && maxSources >= 0 ? Math.min(maxSources, 100_000) : DEFAULT_MAP_SOURCES;
  const sources: InterruptMapSource[] = inspectSources(vm, 0, limit).map((s) => ({
    irq: s.irq, type: s.type, pq: pqText(s.pq), asserted: s.asserted, routed: s.routed,
    server: s.server, priority: s.priority, summary: summarizeWord(s.layout, s.word),
    ...(configuredAt?.has(s.irq) ? { line: configuredAt.get(s.irq) } : {}),
    ...blockOf(vm, s.irq),
  }));
  const queues: InterruptMapQueue[] = inspectQueues(vm).map((q) => ({
    server: q.server, priority: q.priority, vcpu: q.vcpu, index: q.index, entries: q.entries,
    generation: q.toggle, unread: unreadEntries(q, q.entries), count: q.count,
  }));
  const presenters: InterruptMapPresenter[] = inspectPresenters(vm).map((p) => {
    const f = decodeToRecord(p.layout, p.word);
    const pending: number[] = [];
    if (p.layout === 'xive-vp-state') {
      for (let prio = 0; prio < 8; prio++) if (f.ipb & (0x80 >> prio)) pending.push(prio);
    } else if (f.xisr !== 0) {
      pending.push(f.ppri);
    }
    return {
      vcpu: p.vcpu, server: p.server, kind: p.layout === 'xics-icp' ? 'icp' : 'vp', word: hexWord(p.word, 64),
      summary: summarizeWord(p.layout, p.word), running: p.running, pending, cppr: f.cppr,
    };
  });
  return { device: device?.kind ?? null, line, step, sources, totalSources: device?.sourceCount ?? 0, queues, presenters };
}
