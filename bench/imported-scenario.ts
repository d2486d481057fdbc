/**
 * A generated scenario of the shape `irqlab import` writes from a QEMU trace:
 * a device and its set-up, then one straight-line statement per guest or
 * device operation, each with QEMU's value as its expectation and a `#`
 * comment naming the trace line. The bench runs it at 50 and 100 MB; the
 * streaming tests run it small, with failures and errors planted.
 */

export interface ImportedScenarioOptions {
  /** Stop once the text reaches this many characters (a whole round trip is always finished). */
  readonly bytes: number;
  /** Every Nth round trip gets one wrong expectation (0: none): FAIL lines mid-file. */
  readonly failEvery?: number;
  /** Add a few `let`s part-way, used by later statements, as a user editing the import would. */
  readonly lets?: boolean;
}

const HEAD = [
  '# Imported from trace.log (generated: the shape irqlab import writes)',
  'scenario "imported trace (generated)"',
  'let uart = 0x1300',
  'device xive                                                   # trace.log:1 spapr_xive realize',
  'vcpu 0 connect',
  'vcpu 1 connect',
  'set eq_config server 0 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1, qindex 0 }',
  'set eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x20000, qtoggle 1, qindex 0 }',
  'set source 0 = 0                                              # IPI of vCPU 0',
  'set source 1 = 0                                              # IPI of vCPU 1',
  'set source uart = { level_sensitive }',
  'set source_config 0 = { priority 6, server 0, eisn 0 }',
  'set source_config 1 = { priority 6, server 1, eisn 1 }',
  'set source_config uart = { priority 6, server 0, eisn uart }',
  'esb 0 load 0xc00 -> 1',
  'esb 1 load 0xc00 -> 1',
  'esb uart load 0xc00 -> 1',
  'tima vcpu 0 store8 0x11 0xff',
  'tima vcpu 1 store8 0x11 0xff',
];

/** One IPI round trip to vCPU `t` (its IPI is source `t`), as the trace shows it; `wrong` plants a bad value. */
function ipiRoundTrip(t: number, line: number, wrong: boolean): string[] {
  return [
    `esb ${t} trigger store 0x0 0x0  # trace:${line}`,
    `get vp vcpu ${t} -> { nsr 0x80, pipr 6 }  # trace:${line + 2}`,
    `tima vcpu ${t} load16 0x810 -> ${wrong ? '0x8005' : '0x8006'}  # trace:${line + 3}`,
    `esb ${t} load 0xc00 -> 2  # trace:${line + 4}`,
    `tima vcpu ${t} store8 0x11 0xff  # trace:${line + 5}`,
  ];
}

/** The LSI's line up and down, with the hcalls a guest's handler makes. */
function lsiRoundTrip(line: number, base: string): string[] {
  return [
    `line ${base} assert  # trace:${line}`,
    `tima vcpu 0 load16 0x810 -> 0x8006  # trace:${line + 1}`,
    `hcall vcpu 0 H_INT_GET_SOURCE_INFO 0, ${base} -> { r4 0xc, r5 -1, r6 -1, r7 16 }  # trace:${line + 2}`,
    `line ${base} deassert  # trace:${line + 3}`,
    `hcall vcpu 0 H_INT_ESB 0, ${base}, 0x000, 0 -> 0  # trace:${line + 4}`,
    `get eq_config server 0 priority 6 -> { qshift 16 }  # trace:${line + 5}`,
    `tima vcpu 0 store8 0x11 0xff  # trace:${line + 6}`,
  ];
}

export function generateImportedScenario(options: ImportedScenarioOptions): string {
  const parts: string[] = [...HEAD];
  let size = parts.reduce((n, l) => n + l.length + 1, 0);
  let line = 100;
  let round = 0;
  while (size < options.bytes) {
    round++;
    const wrong = options.failEvery !== undefined && options.failEvery > 0 && round % options.failEvery === 0;
    const chunk = round % 8 === 0 ? lsiRoundTrip(line, options.lets && round > 64 ? 'disk' : 'uart') : ipiRoundTrip(round & 1, line, wrong);
    if (options.lets && round === 64) chunk.unshift('let disk = uart                                                # a name added by hand');
    line += 10;
    for (const l of chunk) {
      parts.push(l);
      size += l.length + 1;
    }
  }
  return parts.join('\n') + '\n';
}
