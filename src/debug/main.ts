/**
 * `irqlab dap`: the debug adapter on stdin/stdout, for any DAP client (and
 * for VS Code when it runs the adapter as an executable). Resolves with the
 * exit code once the client hangs up.
 */
import { IrqDebugSession } from './session';

export const DAP_HELP = `usage: irqlab dap

Serves the IRQ Lab debug adapter (Debug Adapter Protocol, debug type "irq")
on stdin/stdout. Launch arguments: program (a .irq scenario or a QEMU trace log, plain or
.gz), traces (more per-thread logs), stopOnEntry, maxSteps, noDebug,
hex, bitNumbering ("lsb0" | "msb0"), trace.
`;

export function runDebugAdapterStdio(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(DAP_HELP);
    return Promise.resolve(0);
  }
  const unknown = args.filter((a) => a !== '--stdio');
  if (unknown.length > 0) {
    process.stderr.write(`irqlab dap: unknown argument '${unknown[0]}'\n\n${DAP_HELP}`);
    return Promise.resolve(2);
  }
  return new Promise((resolve) => {
    const session = new IrqDebugSession();
    // The session must not call process.exit itself: the CLI decides the exit code.
    session.setRunAsServer(true);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      resolve(0);
    };
    process.stdin.on('end', finish);
    process.stdin.on('close', finish);
    session.on('close', finish);
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
