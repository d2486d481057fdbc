/**
 * Two scenarios the suite writes into the workspace copy beside the examples, as a user
 * would create files: one whose register values the debugger tests know step by step,
 * and one with a wrong expectation for the Test Explorer to report.
 */
import * as vscode from 'vscode';
import { workspaceRoot } from './helpers';

export const DEBUG_SCENARIO = 'e2e-one-event.irq';
export const DEBUG_SCENARIO_TEXT = `# One XIVE event, step by step (written by the end-to-end suite)
scenario "e2e: one event"
device xive
vcpu 1 connect
set eq_config server 1 priority 6 = { flags always_notify, qshift 16, qaddr 0x10000, qtoggle 1, qindex 0 }
set source 0x1300 = 0
set source_config 0x1300 = { priority 6, server 1, eisn 0x1300 }
tima vcpu 1 store8 0x11 0xff
esb 0x1300 load 0xc00 -> 1
esb 0x1300 store 0x000
get vp vcpu 1 -> { pipr 6 }
eq server 1 priority 6 -> [0x8000_1300]
`;
/** 0-based line of the ESB trigger (`esb 0x1300 store 0x000`). */
export const TRIGGER_LINE = 9;

export const FAILING_SCENARIO = 'e2e-wrong-expectation.irq';
export const FAILING_SCENARIO_TEXT = `# A wrong expectation (written by the end-to-end suite)
scenario "e2e: wrong expectation"
device xive
vcpu 1 connect
set source 0x1300 = 0
esb 0x1300 load 0x800 -> 2
`;
/** 0-based line of the failing expectation; PQ is 01 (off) after GRP_SOURCE, not 10. */
export const FAILING_LINE = 5;

export async function writeFixtures(): Promise<void> {
  const root = workspaceRoot();
  const encoder = new TextEncoder();
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, DEBUG_SCENARIO), encoder.encode(DEBUG_SCENARIO_TEXT));
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, FAILING_SCENARIO), encoder.encode(FAILING_SCENARIO_TEXT));
}
