/**
 * The checker's hot paths (tables computed once per layout, hcall arguments as
 * bits, EQ_CONFIG values collected without a Map, statements' names visited in
 * place) answer exactly what they did: one file exercising each, checked
 * whole (`analyze`) and in batches (`diagnose`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, diagnose } from '../../src/dsl';

const TEXT = `device xive
vcpu 1 connect
hcall vcpu 1 H_INT_SET_SOURCE_CONFIG 0, 1, flags 2, target 1, lisn 3
hcall vcpu 1 H_INT_ESB 0, 1, 0xc00, -0x8000_0000_0000_0000
hcall vcpu 1 H_INT_ESB 0, 1, 0xc00, -0x8000_0000_0000_0001
hcall vcpu 1 H_INT_SET_SOURCE_CONFIG flags 0, lisn 1, target 1, priority 7, eisn 1
set source 0x1300 = 0x4
set source_config 0x1300 = 0x0000_0026_0000_000f
set eq_config id 0x0f = { flags always_notify, qshift 16, qaddr 0x10000 }
set eq_config server 1 priority 6 = { flags 2, qshift 16, qaddr 0x10001 }
set eq_config server 1 priority 6 = { qaddr 0x1_0000_0000_0000_0000 }
set vp vcpu 1 = { cppr 0x100, pipr 1 }
tima vcpu 1 store16 0x10 0x10000
tima vcpu 1 load8 0x10 -> 0x100
get eq_config id 0x0e -> { qsift 1 }
vcpu 5 run
let x = always_notify + y
`;

const EXPECTED = [
  "3:44 duplicate-arg H_INT_SET_SOURCE_CONFIG: argument 'flags' is given twice",
  "3:63 duplicate-arg H_INT_SET_SOURCE_CONFIG: argument 'lisn' is given twice",
  '5:37 value-too-wide -0x8000000000000001 does not fit the value (64 bits, min -0x8000000000000000, max 0xffffffffffffffff)',
  '6:74 reserved-priority H_INT_SET_SOURCE_CONFIG refuses priority 7 with an H_P* code: only 0..6 name an event queue (xive_prio_from_guest(7) != 7)',
  '7:21 ignored-bits',
  '8:28 reserved-priority',
  '9:18 reserved-priority the kernel rejects this with EINVAL: priority 7 is reserved (xive_prio_from_guest) — if server 1 has a connected vCPU (else ENOENT)',
  // Only the first failing rule: the kernel returns the flags check and never reaches the alignment.
  '10:37 eq-config-rejected the kernel rejects this with EINVAL: EQ flags 0x2 refused',
  '11:45 field-too-wide qaddr = 0x10000000000000000 does not fit its 64 bits in struct kvm_ppc_xive_eq (max 0xffffffffffffffff)',
  '12:24 field-too-wide cppr = 0x100 does not fit its 8 bits in xive-vp-state (max 0xff)',
  '12:31 read-only-field pipr is derived by the hardware in xive-vp-state',
  '13:26 value-too-wide 0x10000 does not fit the value (16 bits, max 0xffff)',
  '14:27 value-too-wide 0x100 does not fit the value (8 bits, max 0xff)',
  "15:28 unknown-field 'qsift' is not a field of the EQ_CONFIG struct (struct kvm_ppc_xive_eq) (fields: flags, qshift, qaddr, qtoggle, qindex); did you mean 'qshift'?",
  "16:6 vcpu-not-connected 'vcpu run' uses vCPU 5 before 'vcpu 5 connect'",
  "17:9 undefined-name 'always_notify' is not defined",
  "17:25 undefined-name 'y' is not defined",
];

test('checker hot paths: each rule as before, whole-file and batched alike', () => {
  const whole = analyze(TEXT).diagnostics;
  const shown = whole.map((d) => `${d.span.line + 1}:${d.span.col + 1} ${d.code} ${d.message}`);
  assert.equal(shown.length, EXPECTED.length, shown.join('\n'));
  shown.forEach((s, i) => assert.ok(s.startsWith(EXPECTED[i]), `${s}\n  expected to start with\n${EXPECTED[i]}`));
  assert.deepEqual(diagnose(TEXT), whole);
});

test('an hcall\'s arguments given once each, by name or position, are not duplicates', () => {
  const text = 'device xive\nvcpu 1 connect\nhcall vcpu 1 H_INT_SET_SOURCE_CONFIG 0, 1, target 1, priority 6, eisn 1 -> H_SUCCESS\n';
  assert.deepEqual(analyze(text).diagnostics, []);
});
