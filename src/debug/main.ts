/**
 * `irqlab dap`: the debug adapter on stdin/stdout, for any DAP client (and
 * for VS Code when it runs the adapter as an executable). Resolves with the
 * exit code once the client hangs up.
 */
import { escapeControlBytes } from '../edge/escape-text';
import { formatByteSize } from '../edge/read-text-file';
import { FRAMING_FATAL_EVENT, MAX_DAP_MESSAGE_BYTES } from './framing';
import { IrqDebugSession } from './session';

export const DAP_HELP = `usage: irqlab dap

Serves the IRQ Lab debug adapter (Debug Adapter Protocol, debug type "irq")
on stdin/stdout. Launch arguments: program (a .irq scenario or a QEMU trace log, plain or
.gz), traces (more per-thread logs), stopOnEntry, maxSteps, noDebug,
hex, bitNumbering ("lsb0" | "msb0"), trace.

Framing: Content-Length in decimal (header names in any case, CRLF or LF lines);
after a bad frame the adapter logs it to stderr and resynchronises on the next
Content-Length header. A message over ${formatByteSize(MAX_DAP_MESSAGE_BYTES)} ends the adapter (exit 2).
`;

export function runDebugAdapterStdio(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(DAP_HELP);
    return Promise.resolve(0);
  }
  const unknown = args.filter((a) => a !== '--stdio');
  if (unknown.length > 0) {
    process.stderr.write(`irqlab dap: unknown argument '${escapeControlBytes(unknown[0])}'\n\n${DAP_HELP}`);
    return Promise.resolve(2);
  }
  return new Promise((resolve) => {
    const session = new IrqDebugSession();
    // The session must not call process.exit itself: the CLI decides the exit code.
    session.setRunAsServer(true);
    let done = false;
    const finish = (code = 0): void => {
      if (done) return;
      done = true;
      resolve(code);
    };
    process.stdin.on('end', () => finish());
    process.stdin.on('close', () => finish());
    session.on('close', () => finish());
    // The input cannot be followed any more (the reason is on stderr): stop reading and exit 2.
    session.on(FRAMING_FATAL_EVENT, () => {
      finish(2);
      process.stdin.destroy();
      process.exitCode = 2;
      setImmediate(() => process.exit(2));
    });
    // `disconnect` ends the conversation even if the client keeps the pipe open.
    session.onDidSendMessage((m) => {
      if ((m as { type?: string; command?: string }).type === 'response' && (m as { command?: string }).command === 'disconnect') {
        setImmediate(() => {
          finish();
          process.stdin.pause();
          process.stdin.unref?.();
        });
      }
    });
    session.start(process.stdin, process.stdout);
  });
}
