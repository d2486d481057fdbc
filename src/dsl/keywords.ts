/**
 * Every keyword of the `.irq` language, once: the parser's statement set, the
 * checker's "did you mean", completion, hover and the generated TextMate
 * grammar all read this list (the LSP helper tests the grammar against it).
 */

export interface KeywordInfo {
  name: string;
  kind: 'statement' | 'modifier' | 'device' | 'target' | 'action' | 'expectation';
  syntax: string;
  summary: string;
  spec?: string;
}

export const KEYWORDS: readonly KeywordInfo[] = [
  // statements
  { name: 'scenario', kind: 'statement', syntax: 'scenario "TITLE"', summary: 'names the scenario (shown by `irqlab run` and the Test Explorer)' },
  { name: 'let', kind: 'statement', syntax: 'let NAME = EXPR', summary: 'a named constant; hover, rename and go to definition work on it' },
  { name: 'device', kind: 'statement', syntax: 'device xive | xics | xics-pr | xics-on-xive | release', summary: 'KVM_CREATE_DEVICE of the interrupt controller, or release it', spec: '§2.1, §3.1' },
  { name: 'ctrl', kind: 'statement', syntax: 'ctrl reset | eq_sync | nr_servers N', summary: 'KVM_DEV_*_GRP_CTRL attributes', spec: '§3.3' },
  { name: 'vcpu', kind: 'statement', syntax: 'vcpu N connect [server S] [flags F] [fd N] [cap C] | vcpu N run | vcpu N stop', summary: 'KVM_ENABLE_CAP(IRQ_XICS / PPC_IRQ_XIVE) connects a vCPU to the device; run/stop push or pull its context', spec: '§2.4, §3.2' },
  { name: 'set', kind: 'statement', syntax: 'set source|source_config IRQ = WORD | set eq_config server S priority P = { fields } | set icp|vp vcpu N = WORD', summary: 'KVM_SET_DEVICE_ATTR or KVM_SET_ONE_REG with a word, a field block or badaddr', spec: '§2.3, §3.4' },
  { name: 'get', kind: 'statement', syntax: 'get source|source_config IRQ | get eq_config server S priority P | get icp|vp vcpu N', summary: 'KVM_GET_DEVICE_ATTR or KVM_GET_ONE_REG; expect a word, fields or an errno', spec: '§2.3, §3.4' },
  { name: 'sync', kind: 'statement', syntax: 'sync source IRQ', summary: 'KVM_DEV_XIVE_GRP_SOURCE_SYNC: flush in-flight events of a source', spec: '§3.7' },
  { name: 'esb', kind: 'statement', syntax: 'esb IRQ [trigger] load OFF | esb IRQ [trigger] store OFF [VALUE]', summary: 'guest MMIO access to a source\'s ESB page (management page unless `trigger`)', spec: '§3.9' },
  { name: 'tima', kind: 'statement', syntax: 'tima vcpu N load8|load16|load32|load64 OFF | tima vcpu N store8..store64 OFF VALUE', summary: 'guest access to the thread interrupt management area (OS ring)', spec: '§3.12' },
  { name: 'eq', kind: 'statement', syntax: 'eq server S priority P -> [entries]', summary: 'read the new entries of an event queue the way a guest queue scan does', spec: '§3.10' },
  { name: 'hcall', kind: 'statement', syntax: 'hcall vcpu N H_NAME [args] [-> H_* | VALUE | { r4 V, r5 V }]', summary: 'a guest hypercall, arguments positional or named', spec: '§2.6.6, §3.11' },
  { name: 'line', kind: 'statement', syntax: 'line IRQ assert|deassert|pulse|set|unset|set_level | line IRQ level N', summary: 'KVM_IRQ_LINE: drive a source\'s input line', spec: '§2.7' },
  { name: 'rtas', kind: 'statement', syntax: 'rtas ibm,set-xive|ibm,get-xive|ibm,int-on|ibm,int-off ARGS [-> STATUS | { status S, r1 V }]', summary: 'an RTAS call handled by KVM (legacy XICS)', spec: '§2.6.7' },
  { name: 'attr', kind: 'statement', syntax: 'attr set|get|has group G attr A [= VALUE]', summary: 'raw KVM_{SET,GET,HAS}_DEVICE_ATTR by group and attribute number, as in a trace', spec: '§2.3, §3.4' },
  { name: 'proc', kind: 'statement', syntax: 'proc NAME(PARAMS) { ... }', summary: 'a procedure: a named block the debugger shows as a stack frame' },
  { name: 'call', kind: 'statement', syntax: 'call NAME(ARGS)', summary: 'run a procedure' },
  { name: 'repeat', kind: 'statement', syntax: 'repeat N [as i] { ... }', summary: 'run a block N times (i counts from 0)' },
  { name: 'log', kind: 'statement', syntax: 'log "text {expr}"', summary: 'print a line to the log; {expr} is interpolated' },
  { name: 'include', kind: 'statement', syntax: 'include "file.irq"', summary: 'run another scenario file here (its lets and procs become visible)' },
  // targets of set/get and others
  { name: 'source', kind: 'target', syntax: 'set source IRQ = WORD', summary: 'a source\'s state word: KVM_DEV_XICS_GRP_SOURCES (xics-source) or KVM_DEV_XIVE_GRP_SOURCE (xive-source)', spec: '§2.3, §3.4' },
  { name: 'source_config', kind: 'target', syntax: 'set source_config IRQ = WORD', summary: 'KVM_DEV_XIVE_GRP_SOURCE_CONFIG: routing of a source (xive-source-config)', spec: '§3.5' },
  { name: 'eq_config', kind: 'target', syntax: 'set eq_config server S priority P = { flags, qshift, qaddr, qtoggle, qindex }', summary: 'KVM_DEV_XIVE_GRP_EQ_CONFIG: an event queue (struct kvm_ppc_xive_eq)', spec: '§3.6' },
  { name: 'icp', kind: 'target', syntax: 'get icp vcpu N', summary: 'ONE_REG KVM_REG_PPC_ICP_STATE (xics-icp)', spec: '§2.5' },
  { name: 'vp', kind: 'target', syntax: 'get vp vcpu N', summary: 'ONE_REG KVM_REG_PPC_VP_STATE (xive-vp-state)', spec: '§3.12' },
  // modifiers
  { name: 'server', kind: 'modifier', syntax: 'server S', summary: 'an interrupt server (vCPU) number' },
  { name: 'priority', kind: 'modifier', syntax: 'priority P', summary: 'an event queue priority 0..6 (7 is reserved)' },
  { name: 'id', kind: 'modifier', syntax: 'eq_config id WORD', summary: 'an event queue by its raw attribute identifier (xive-eq-id)', spec: '§3.6.1' },
  { name: 'group', kind: 'modifier', syntax: 'attr set group G attr A', summary: 'a device attribute group number' },
  { name: 'as', kind: 'modifier', syntax: 'repeat N as i { }', summary: 'names the loop counter' },
  { name: 'flags', kind: 'modifier', syntax: 'vcpu N connect flags F', summary: 'KVM_ENABLE_CAP flags (must be 0)' },
  { name: 'fd', kind: 'modifier', syntax: 'vcpu N connect fd FD', summary: 'the device fd passed to KVM_ENABLE_CAP (default: the device\'s)' },
  { name: 'cap', kind: 'modifier', syntax: 'vcpu N connect cap C', summary: 'the capability number (default: the device\'s)' },
  { name: 'trigger', kind: 'modifier', syntax: 'esb IRQ trigger store OFF', summary: 'access the ESB trigger page instead of the management page', spec: '§3.9' },
  { name: 'management', kind: 'modifier', syntax: 'esb IRQ management load OFF', summary: 'access the ESB management page (the default)', spec: '§3.9' },
  { name: 'always_notify', kind: 'modifier', syntax: 'set eq_config server S priority P = { flags always_notify }', summary: 'KVM_XIVE_EQ_ALWAYS_NOTIFY (1), the only EQ flag the kernel accepts', spec: '§3.6' },
  { name: 'badaddr', kind: 'modifier', syntax: 'set source IRQ = badaddr', summary: 'an attribute address that faults: the kernel returns EFAULT' },
  { name: 'level', kind: 'modifier', syntax: 'line IRQ level N', summary: 'KVM_IRQ_LINE with a raw level value' },
  // actions
  { name: 'connect', kind: 'action', syntax: 'vcpu N connect', summary: 'KVM_ENABLE_CAP: create the vCPU\'s presenter; server defaults to the vCPU id', spec: '§2.4, §3.2' },
  { name: 'run', kind: 'action', syntax: 'vcpu N run', summary: 'push the vCPU\'s context (it runs the guest)' },
  { name: 'stop', kind: 'action', syntax: 'vcpu N stop', summary: 'pull the vCPU\'s context; events wait in its backlog' },
  { name: 'load', kind: 'action', syntax: 'esb IRQ load OFF', summary: 'an ESB MMIO load (its offset selects the operation)', spec: '§3.9' },
  { name: 'store', kind: 'action', syntax: 'esb IRQ store OFF [VALUE]', summary: 'an ESB MMIO store (offset 0 triggers)', spec: '§3.9' },
  { name: 'load8', kind: 'action', syntax: 'tima vcpu N load8 OFF', summary: '1-byte TIMA load', spec: '§3.12' },
  { name: 'load16', kind: 'action', syntax: 'tima vcpu N load16 OFF', summary: '2-byte TIMA load (0x810: ACK)', spec: '§3.12' },
  { name: 'load32', kind: 'action', syntax: 'tima vcpu N load32 OFF', summary: '4-byte TIMA load', spec: '§3.12' },
  { name: 'load64', kind: 'action', syntax: 'tima vcpu N load64 OFF', summary: '8-byte TIMA load', spec: '§3.12' },
  { name: 'store8', kind: 'action', syntax: 'tima vcpu N store8 OFF VALUE', summary: '1-byte TIMA store (0x11: CPPR)', spec: '§3.12' },
  { name: 'store16', kind: 'action', syntax: 'tima vcpu N store16 OFF VALUE', summary: '2-byte TIMA store', spec: '§3.12' },
  { name: 'store32', kind: 'action', syntax: 'tima vcpu N store32 OFF VALUE', summary: '4-byte TIMA store', spec: '§3.12' },
  { name: 'store64', kind: 'action', syntax: 'tima vcpu N store64 OFF VALUE', summary: '8-byte TIMA store', spec: '§3.12' },
  { name: 'assert', kind: 'action', syntax: 'line IRQ assert', summary: 'KVM_IRQ_LINE level 1', spec: '§2.7' },
  { name: 'deassert', kind: 'action', syntax: 'line IRQ deassert', summary: 'KVM_IRQ_LINE level 0', spec: '§2.7' },
  { name: 'pulse', kind: 'action', syntax: 'line IRQ pulse', summary: 'assert then deassert (an edge)', spec: '§2.7' },
  { name: 'unset', kind: 'action', syntax: 'line IRQ unset', summary: 'KVM_IRQ_LINE with KVM_INTERRUPT_UNSET', spec: '§2.7' },
  { name: 'set_level', kind: 'action', syntax: 'line IRQ set_level', summary: 'KVM_IRQ_LINE with KVM_INTERRUPT_SET_LEVEL', spec: '§2.7' },
  { name: 'has', kind: 'action', syntax: 'attr has group G attr A', summary: 'KVM_HAS_DEVICE_ATTR' },
  { name: 'reset', kind: 'action', syntax: 'ctrl reset', summary: 'KVM_DEV_XIVE_RESET: reset every source and queue (with its stale-state quirks)', spec: '§3.3' },
  { name: 'eq_sync', kind: 'action', syntax: 'ctrl eq_sync', summary: 'KVM_DEV_XIVE_EQ_SYNC: flush queues before migration', spec: '§3.3' },
  { name: 'nr_servers', kind: 'action', syntax: 'ctrl nr_servers N', summary: 'KVM_DEV_*_NR_SERVERS: number of servers (before any connect)', spec: '§3.3' },
  // devices
  { name: 'xive', kind: 'device', syntax: 'device xive', summary: 'KVM_DEV_TYPE_XIVE: XIVE native exploitation (POWER9+)', spec: '§3' },
  { name: 'xics', kind: 'device', syntax: 'device xics', summary: 'KVM_DEV_TYPE_XICS: legacy emulation on a KVM-HV host, real-mode hcalls', spec: '§2' },
  { name: 'xics-pr', kind: 'device', syntax: 'device xics-pr', summary: 'legacy XICS under PR-KVM: virtual-mode hcalls', spec: '§2' },
  { name: 'xics-on-xive', kind: 'device', syntax: 'device xics-on-xive', summary: 'KVM_DEV_TYPE_XICS on a POWER9+ host (XICS-on-XIVE)', spec: '§2.8' },
  { name: 'release', kind: 'device', syntax: 'device release', summary: 'release the interrupt device (close its fd)' },
  // expectations
  { name: 'ok', kind: 'expectation', syntax: '-> ok', summary: 'the operation must succeed, whatever its value' },
];

const STATEMENT_SET: ReadonlySet<string> = new Set(KEYWORDS.filter((k) => k.kind === 'statement').map((k) => k.name));
export const STATEMENT_KEYWORDS: readonly string[] = [...STATEMENT_SET];

export function isStatementKeyword(name: string): boolean {
  return STATEMENT_SET.has(name);
}

const BY_NAME: ReadonlyMap<string, KeywordInfo> = new Map(KEYWORDS.map((k) => [k.name, k]));
export function keywordInfo(name: string): KeywordInfo | undefined {
  return BY_NAME.get(name);
}

export const DEVICE_NAMES = ['xive', 'xics', 'xics-pr', 'xics-on-xive'] as const;
export const LINE_ACTIONS = ['assert', 'deassert', 'pulse', 'set', 'unset', 'set_level'] as const;
export const TIMA_OPS = ['load8', 'load16', 'load32', 'load64', 'store8', 'store16', 'store32', 'store64'] as const;
export const CTRL_ATTRS = ['reset', 'eq_sync', 'nr_servers'] as const;
export const CONNECT_OPTIONS = ['server', 'flags', 'fd', 'cap'] as const;
/** Named values of `set eq_config ... = { flags ... }`. */
export const EQ_FLAG_NAMES: Readonly<Record<string, bigint>> = { always_notify: 1n };
/** Fields of struct kvm_ppc_xive_eq (src/model/attr.ts KvmPpcXiveEq) with their C widths. */
export const EQ_CONFIG_FIELDS: Readonly<Record<string, number>> = { flags: 32, qshift: 32, qaddr: 64, qtoggle: 32, qindex: 32 };
