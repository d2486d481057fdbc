/**
 * The launch configurations the Run and Debug view offers for a workspace: one per scenario
 * and per QEMU trace, one per directory of per-thread logs (all of them, merged in time
 * order). Pure (no `vscode`): paths in, configurations out.
 */
import { DEBUG_TYPE } from './command-ids';
import { groupPerThreadLogs, perThreadLogLabel } from './per-thread-logs';

export interface LaunchConfiguration {
  readonly type: string;
  readonly request: 'launch';
  readonly name: string;
  readonly program: string;
  readonly stopOnEntry: boolean;
  readonly traces?: readonly string[];
}

/** A configuration that debugs `program` (a scenario, or a trace with more per-thread logs in `traces`). */
export function launchConfigurationFor(program: string, extra: { name?: string; traces?: readonly string[] } = {}): LaunchConfiguration {
  const name = program.endsWith('.irq') || program === '${file}' ? 'Debug scenario' : 'Debug trace';
  return { type: DEBUG_TYPE, request: 'launch', name, program, stopOnEntry: true, ...extra };
}

/**
 * `files`: scenarios and whole-run traces; `logs`: per-thread log files; `relative` shows a
 * path as the workspace does. Sorted by name.
 */
export function workspaceLaunchConfigurations(files: readonly string[], logs: readonly string[], relative: (path: string) => string): LaunchConfiguration[] {
  const single = files.map((f) => launchConfigurationFor(f, { name: `Debug ${relative(f)}` }));
  const groups = groupPerThreadLogs(logs).map((g) =>
    launchConfigurationFor(g.files[0]!, { name: `Debug ${perThreadLogLabel(relative(g.files[0]!), g.files)}`, traces: g.files.slice(1) }));
  return [...single, ...groups].sort((a, b) => a.name.localeCompare(b.name));
}
