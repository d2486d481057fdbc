import type { ReadTextResult } from '../edge/read-text-file';
import type { OpenedScenario } from '../edge/scenario-file-source';

export { readTextFileBounded, MAX_SCENARIO_BYTES, formatByteSize } from '../edge/read-text-file';
export type { ReadTextResult, ReadTextOptions } from '../edge/read-text-file';
export { escapeControlBytes } from '../edge/escape-text';

/** What a CLI command may touch, injected so commands are testable in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a UTF-8 file; undefined when it cannot be read. */
  readonly readFile: (path: string) => string | undefined;
  /** Reads a UTF-8 file, bounded, saying why not (`readTextFileBounded`); commands fall back to readFile without it. */
  readonly readText?: (path: string) => ReadTextResult;
  /** Opens a scenario to check or run: a large file as a source read in chunks (`openScenarioFile`); without it, `readText`. */
  readonly openScenario?: (path: string) => OpenedScenario;
  readonly cwd: string;
}

/** `io.readText`, or `io.readFile` with a generic reason when the io has no readText. */
export function readTextVia(io: CliIo, path: string): ReadTextResult {
  if (io.readText) return io.readText(path);
  const text = io.readFile(path);
  return text === undefined ? { ok: false, message: `cannot read '${path}' (no such file, or not readable)` } : { ok: true, text };
}

/** Exit codes: 0 success, 1 a check/expectation failed, 2 usage or input error. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
