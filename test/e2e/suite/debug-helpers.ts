/** Following an `irq` debug session from the suite: its stops, its threads, its variables. */
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { waitFor } from './helpers';

export interface Stop {
  readonly reason: string;
  readonly threadId: number;
}

/** Records every `stopped` event of `irq` sessions (a tracker beside the extension's own). */
export class StopRecorder implements vscode.Disposable {
  readonly stops: Stop[] = [];
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.debug.registerDebugAdapterTrackerFactory('irq', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: DebugProtocol.ProtocolMessage) => {
          const event = m as DebugProtocol.Event;
          if (m.type === 'event' && event.event === 'stopped') {
            const body = (event as DebugProtocol.StoppedEvent).body;
            this.stops.push({ reason: body.reason, threadId: body.threadId ?? 1 });
          }
        },
      }),
    });
  }

  /** Waits for the stop after the `seen`-th one. */
  next(seen: number, what: string): Promise<Stop> {
    return waitFor(what, () => this.stops[seen]);
  }

  dispose(): void {
    this.registration.dispose();
  }
}

export async function topFrame(session: vscode.DebugSession, threadId: number): Promise<DebugProtocol.StackFrame> {
  const trace = (await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 })) as DebugProtocol.StackTraceResponse['body'];
  return trace.stackFrames[0];
}

/** Scope name → its variables (first level), at the top frame. */
export async function scopeVariables(session: vscode.DebugSession, threadId: number): Promise<Map<string, DebugProtocol.Variable[]>> {
  const frame = await topFrame(session, threadId);
  const { scopes } = (await session.customRequest('scopes', { frameId: frame.id })) as DebugProtocol.ScopesResponse['body'];
  const out = new Map<string, DebugProtocol.Variable[]>();
  for (const scope of scopes) {
    const { variables } = (await session.customRequest('variables', { variablesReference: scope.variablesReference })) as DebugProtocol.VariablesResponse['body'];
    out.set(scope.name, variables);
  }
  return out;
}

export function variableNamed(vars: Map<string, DebugProtocol.Variable[]>, scope: string, name: RegExp): DebugProtocol.Variable | undefined {
  return vars.get(scope)?.find((v) => name.test(v.name));
}
