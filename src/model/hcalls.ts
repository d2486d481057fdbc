/** hcall names and numbers (arch/powerpc/include/asm/hvcall.h) and their argument names. */

export interface HcallDef {
  readonly number: number;
  /** Input register names r4, r5, ... as the spec names them (§2.6.6, §3.11). */
  readonly args: readonly string[];
  /** Output register names r4, r5, ... */
  readonly outputs: readonly string[];
  readonly family: 'xics' | 'xive';
  readonly summary: string;
}

export const HCALLS = {
  H_EOI: { number: 0x64, args: ['xirr'], outputs: [], family: 'xics', summary: 'end of interrupt: Down-CPPR to xirr[31:24], then source EOI of xirr[23:0]' },
  H_CPPR: { number: 0x68, args: ['cppr'], outputs: [], family: 'xics', summary: 'set the current processor priority' },
  H_IPI: { number: 0x6c, args: ['server', 'mfrr'], outputs: [], family: 'xics', summary: 'set a server\'s MFRR (send or cancel an IPI)' },
  H_IPOLL: { number: 0x70, args: ['server'], outputs: ['xirr', 'mfrr'], family: 'xics', summary: 'poll a server\'s XIRR and MFRR without side effects' },
  H_XIRR: { number: 0x74, args: [], outputs: ['xirr'], family: 'xics', summary: 'accept the pending interrupt: returns CPPR<<24 | XISR' },
  H_XIRR_X: { number: 0x2fc, args: [], outputs: ['xirr', 'timebase'], family: 'xics', summary: 'H_XIRR that also returns the timebase' },
  H_INT_GET_SOURCE_INFO: { number: 0x3a8, args: ['flags', 'lisn'], outputs: ['flags', 'eoi_page', 'trigger_page', 'esb_shift'], family: 'xive', summary: 'source characteristics and ESB page addresses' },
  H_INT_SET_SOURCE_CONFIG: { number: 0x3ac, args: ['flags', 'lisn', 'target', 'priority', 'eisn'], outputs: [], family: 'xive', summary: 'route a source to (target, priority) with an EISN' },
  H_INT_GET_SOURCE_CONFIG: { number: 0x3b0, args: ['flags', 'lisn'], outputs: ['target', 'priority', 'eisn'], family: 'xive', summary: 'read a source\'s routing' },
  H_INT_GET_QUEUE_INFO: { number: 0x3b4, args: ['flags', 'target', 'priority'], outputs: ['esb_page', 'qshift'], family: 'xive', summary: 'END ESB page and queue size of an event queue' },
  H_INT_SET_QUEUE_CONFIG: { number: 0x3b8, args: ['flags', 'target', 'priority', 'qpage', 'qsize'], outputs: [], family: 'xive', summary: 'configure or reset an event queue' },
  H_INT_GET_QUEUE_CONFIG: { number: 0x3bc, args: ['flags', 'target', 'priority'], outputs: ['flags', 'qpage', 'qsize', 'qindex'], family: 'xive', summary: 'read an event queue\'s configuration' },
  H_INT_SET_OS_REPORTING_LINE: { number: 0x3c0, args: ['flags', 'line'], outputs: [], family: 'xive', summary: 'not implemented by QEMU (H_FUNCTION)' },
  H_INT_GET_OS_REPORTING_LINE: { number: 0x3c4, args: ['flags', 'target', 'line'], outputs: [], family: 'xive', summary: 'not implemented by QEMU (H_FUNCTION)' },
  H_INT_ESB: { number: 0x3c8, args: ['flags', 'lisn', 'offset', 'data'], outputs: ['value'], family: 'xive', summary: 'ESB load or store done by the hypervisor (mandatory for LSIs)' },
  H_INT_SYNC: { number: 0x3cc, args: ['flags', 'lisn'], outputs: [], family: 'xive', summary: 'wait until in-flight events of a source have reached their queue' },
  H_INT_RESET: { number: 0x3d0, args: ['flags'], outputs: [], family: 'xive', summary: 'reset the whole interrupt controller' },
} as const satisfies Record<string, HcallDef>;

export type HcallName = keyof typeof HCALLS;
export const HCALL_NAMES = Object.keys(HCALLS) as HcallName[];

export function isHcallName(s: string): s is HcallName {
  return Object.prototype.hasOwnProperty.call(HCALLS, s);
}
export function isXicsHcall(n: HcallName): boolean {
  return HCALLS[n].family === 'xics';
}
export function isXiveHcall(n: HcallName): boolean {
  return HCALLS[n].family === 'xive';
}

export const RTAS_CALLS = {
  'ibm,set-xive': { args: ['irq', 'server', 'priority'], nret: 1 },
  'ibm,get-xive': { args: ['irq'], nret: 3 },
  'ibm,int-off': { args: ['irq'], nret: 1 },
  'ibm,int-on': { args: ['irq'], nret: 1 },
} as const;
export type RtasName = keyof typeof RTAS_CALLS;
export function isRtasName(s: string): s is RtasName {
  return Object.prototype.hasOwnProperty.call(RTAS_CALLS, s);
}
