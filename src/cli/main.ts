/**
 * `irqlab`: one engine, every door. Subcommands load lazily so that
 * `irqlab decode` does not pay for the language server or the debug adapter.
 */
import { CliIo, escapeControlBytes, EXIT_OK, EXIT_USAGE, readTextFileBounded } from './io';
import { decodeCommand, encodeCommand } from './word-commands';
import { openScenarioFile } from '../edge/scenario-file-source';

export const MAIN_HELP = `usage: irqlab <command> [options]

Commands:
  run FILE...            run scenarios; prints each expectation and "N passed, N failed"
  check FILE...          parse and check scenarios; diagnostics only
  replay TRACE...        replay QEMU traces against the model; report divergences
  import KIND INPUT...   write a scenario from evidence (qemu-trace, info-pic)
  decode LAYOUT WORD...  decode 64-bit words field by field
  encode LAYOUT f=v...   encode fields into a word
  explain FILE WHAT      why a source's interrupt is (not) delivered; a vCPU; a queue entry
  lsp --stdio            serve the language server on stdin/stdout
  dap                    serve the debug adapter (DAP) on stdin/stdout

Run 'irqlab <command> --help' for a command's options.
Exit codes: 0 success, 1 an expectation or check failed, 2 usage or input error.
`;

export function nodeIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readFile: (p) => {
      const r = readTextFileBounded(p);
      return r.ok ? r.text : undefined;
    },
    readText: (p) => readTextFileBounded(p),
    openScenario: (p) => openScenarioFile(p),
    cwd: process.cwd(),
  };
}

export { adoptTraceReaderThread } from './trace-records';

/** Runs a command; resolves to the exit code. Long-running servers resolve only when they end. */
export async function main(argv: readonly string[], io: CliIo = nodeIo()): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.stdout(MAIN_HELP);
      return command === undefined ? EXIT_USAGE : EXIT_OK;
    case '--version':
      io.stdout('irqlab 0.1.0\n');
      return EXIT_OK;
    case 'decode':
      return decodeCommand(args, io);
    case 'encode':
      return encodeCommand(args, io);
    case 'run': {
      const { runCommand } = await import('./run-command');
      return runCommand(args, io);
    }
    case 'check': {
      const { checkCommand } = await import('./run-command');
      return checkCommand(args, io);
    }
    case 'explain': {
      const { explainCommand } = await import('./explain-command');
      return explainCommand(args, io);
    }
    case 'replay': {
      const { replayCommand } = await import('./replay-command');
      return replayCommand(args, io);
    }
    case 'import': {
      const { importCommand } = await import('./import-command');
      return importCommand(args, io);
    }
    case 'lsp': {
      const { runLanguageServerStdio } = await import('../server/main');
      return runLanguageServerStdio(args);
    }
    case 'dap': {
      const { runDebugAdapterStdio } = await import('../debug/main');
      return runDebugAdapterStdio(args);
    }
    default:
      io.stderr(`irqlab: unknown command '${escapeControlBytes(command)}'\n\n${MAIN_HELP}`);
      return EXIT_USAGE;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`irqlab: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
