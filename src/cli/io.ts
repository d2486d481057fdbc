/** What a CLI command may touch, injected so commands are testable in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a UTF-8 file; undefined when it cannot be read. */
  readonly readFile: (path: string) => string | undefined;
  readonly cwd: string;
}

/** Exit codes: 0 success, 1 a check/expectation failed, 2 usage or input error. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
