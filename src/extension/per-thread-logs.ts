/**
 * QEMU's per-thread logs (`-D log-%d.txt` with `-d tid`: one `log-<tid>.txt` per thread,
 * possibly gzipped) are parts of one run: the Test Explorer shows the logs of a directory
 * as one test, replayed together in time order. Pure (no `vscode`, no Node API): paths in,
 * groups out, so the rule is tested without an editor.
 */

/** The per-thread logs of one directory, in thread-id order. */
export interface PerThreadLogGroup {
  /** The directory, as the paths spelled it (no trailing separator). */
  readonly dir: string;
  /** Full paths, at least one. */
  readonly files: readonly string[];
}

const PER_THREAD_LOG = /^log-(\d+)\.txt(\.gz)?$/;

function splitPath(path: string): { dir: string; name: string } {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return { dir: i >= 0 ? path.slice(0, i) : '', name: path.slice(i + 1) };
}

/** Whether the file's name is a per-thread log: `log-<digits>.txt` or `log-<digits>.txt.gz`. */
export function isPerThreadLog(path: string): boolean {
  return PER_THREAD_LOG.test(splitPath(path).name);
}

/**
 * Groups per-thread logs by directory; other paths are ignored. Groups are sorted by
 * directory, files by thread id (numerically: `log-999` before `log-1000`). A thread's
 * log present both plain and gzipped (`gzip -k`) is one log, not two: the plain one is
 * kept (the editor shows it), so the run is not replayed twice over.
 */
export function groupPerThreadLogs(paths: readonly string[]): PerThreadLogGroup[] {
  const byDir = new Map<string, Map<string, { path: string; tid: string; gz: boolean }>>();
  for (const path of paths) {
    const { dir, name } = splitPath(path);
    const m = PER_THREAD_LOG.exec(name);
    if (!m) continue;
    const tid = m[1];
    const gz = m[2] !== undefined;
    let logs = byDir.get(dir);
    if (!logs) byDir.set(dir, (logs = new Map()));
    const other = logs.get(tid);
    if (!other || (other.gz && !gz)) logs.set(tid, { path, tid, gz });
  }
  const byTid = (a: { tid: string }, b: { tid: string }) => a.tid.length - b.tid.length || (a.tid < b.tid ? -1 : a.tid > b.tid ? 1 : 0);
  return [...byDir]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([dir, logs]) => ({ dir, files: [...logs.values()].sort(byTid).map((l) => l.path) }));
}

/**
 * The test item's label: `DIR/log-*.txt (3 per-thread logs)` (`log-*.txt.gz` when all are
 * gzipped, `log-*.txt*` when mixed). `relativeFirst` is the group's first log as the user
 * sees it (relative to the workspace), which names the directory.
 */
export function perThreadLogLabel(relativeFirst: string, files: readonly string[]): string {
  const relativeDir = splitPath(relativeFirst).dir;
  const gz = files.filter((f) => f.endsWith('.gz')).length;
  const pattern = gz === 0 ? 'log-*.txt' : gz === files.length ? 'log-*.txt.gz' : 'log-*.txt*';
  const count = `${files.length} per-thread log${files.length === 1 ? '' : 's'}`;
  return `${relativeDir ? `${relativeDir}/` : ''}${pattern} (${count})`;
}
