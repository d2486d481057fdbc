/**
 * The extension's command ids, once. package.json's `contributes.commands`, the
 * `onCommand:` activation events and the registrations in commands.ts are tested
 * against this list (test/extension/contributions.test.ts). No `vscode` import here,
 * so the test can load it outside VS Code.
 */
export const COMMAND_IDS = [
  'irqlab.runScenario',
  'irqlab.debugScenario',
  'irqlab.decodeWord',
  'irqlab.toggleHex',
  'irqlab.showInterruptMap',
  'irqlab.explainAtLine',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/** Debug type of the adapter; also the language id of scenarios. */
export const DEBUG_TYPE = 'irq';
export const LANGUAGE_ID = 'irq';
/** Language id of QEMU trace logs (trace.log, *.trace, log-<tid>.txt; users add more with files.associations). */
export const TRACE_LANGUAGE_ID = 'qemu-trace';
export const EXTENSION_ID = 'irqlab.irqlab';
