/**
 * Builds the TextMate grammar of QEMU trace logs (the `qemu-trace` language)
 * from the trace reader's own event prefixes, so what is highlighted as an
 * interrupt-controller event, another machine's event or a line that is not a
 * trace event is what `irqlab replay` reads as such. `scripts/generate-grammar.mjs`
 * writes it to syntaxes/qemu-trace.tmLanguage.json; test/server/trace-grammar.test.ts
 * checks the committed file equals this output.
 */
import { FOREIGN_EVENT_PREFIXES, KNOWN_EVENT_PREFIXES } from '../trace/event-names';
import type { TmGrammar } from './grammar';

export const TRACE_SCOPE = 'source.qemu-trace';

/** A regular-expression alternation of literal prefixes. */
function alternation(prefixes: readonly string[]): string {
  return prefixes.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

export function buildTraceGrammar(): TmGrammar {
  const known = alternation(KNOWN_EVENT_PREFIXES);
  const foreign = alternation(FOREIGN_EVENT_PREFIXES);
  const stamp = '(?:(\\d+)(@)(\\d+(?:\\.\\d+)?)(:))?';
  const stampCaptures = {
    1: { name: 'constant.numeric.integer.thread-id.qemu-trace' },
    2: { name: 'punctuation.separator.qemu-trace' },
    3: { name: 'constant.numeric.float.time.qemu-trace' },
    4: { name: 'punctuation.separator.qemu-trace' },
  };
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'QEMU trace',
    scopeName: TRACE_SCOPE,
    fileTypes: ['trace', 'log'],
    patterns: [
      { include: '#controller-event' },
      { include: '#foreign-event' },
      { include: '#other-event' },
      { include: '#not-a-trace-event' },
    ],
    repository: {
      'controller-event': {
        comment: 'An interrupt-controller event the replay reads (sPAPR XIVE, XICS, sPAPR PCI), with its arguments.',
        begin: `^${stamp}((?:${known})[A-Za-z0-9_]*)(?=\\s|$)`,
        beginCaptures: { ...stampCaptures, 5: { name: 'entity.name.function.event.qemu-trace' } },
        end: '$',
        patterns: [{ include: '#arguments' }],
      },
      'foreign-event': {
        comment: 'An event of another machine (PowerNV, XIVE2): the replay refuses such a trace.',
        match: `^${stamp}((?:${foreign})[A-Za-z0-9_]*)(?=\\s|$).*$`,
        captures: { ...stampCaptures, 5: { name: 'invalid.illegal.foreign-machine.qemu-trace' } },
      },
      'other-event': {
        comment: 'A stamped event of another subsystem: counted and skipped.',
        match: '^(\\d+)(@)(\\d+(?:\\.\\d+)?)(:)([A-Za-z_][A-Za-z0-9_]*)(.*)$',
        captures: { ...stampCaptures, 5: { name: 'support.function.other-event.qemu-trace' }, 6: { name: 'comment.line.other-event.qemu-trace' } },
      },
      'not-a-trace-event': {
        comment: 'Anything else (-d int lines, console output): counted and skipped.',
        match: '^.+$',
        name: 'comment.line.not-a-trace-event.qemu-trace',
      },
      arguments: {
        patterns: [
          {
            match: '\\b([A-Za-z_][A-Za-z0-9_]*)(=)',
            captures: { 1: { name: 'variable.parameter.qemu-trace' }, 2: { name: 'keyword.operator.assignment.qemu-trace' } },
          },
          { match: '(@)(0x[0-9a-fA-F]+)', captures: { 1: { name: 'keyword.operator.address.qemu-trace' }, 2: { name: 'constant.numeric.hex.address.qemu-trace' } } },
          { match: '<=|->', name: 'keyword.operator.qemu-trace' },
          { match: '\\b0x[0-9a-fA-F]+\\b', name: 'constant.numeric.hex.qemu-trace' },
          { match: '\\b\\d+\\b', name: 'constant.numeric.decimal.qemu-trace' },
        ],
      },
    },
  };
}

export function traceGrammarFileText(): string {
  return JSON.stringify(buildTraceGrammar(), null, 2) + '\n';
}
