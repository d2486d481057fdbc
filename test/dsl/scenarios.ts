/**
 * Scenario text shared by the interpreter tests and the dsl-run benchmark.
 * Plain strings only: no test framework, so a benchmark can import it too.
 */

/**
 * XIVE native delivery set-up (7 statements with one vCPU): `vcpus` connected, the
 * queue of server 1 priority 6 at 0x10000, source 0x1300 (MSI) routed there with
 * EISN 0x1300 and unmasked (PQ 00), vCPU 1's CPPR opened to 0xff.
 */
export function xiveDeliverySetup(vcpus: readonly number[] = [0, 1]): string {
  return `device xive
${vcpus.map((v) => `vcpu ${v} connect\n`).join('')}set eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1, qindex 0 }
set source 0x1300 = 0
set source_config 0x1300 = { priority 6, server 1, eisn 0x1300 }
esb 0x1300 load 0xc00
tima vcpu 1 store8 0x11 0xff
`;
}
