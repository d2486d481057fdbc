/**
 * Raw bytes to a spawned `irqlab dap`: after every kind of bad frame the
 * adapter resynchronises and answers the next well-formed request; a
 * declared length over the maximum ends it with a clear message; a request
 * without a numeric seq gets an error response; `initialize` needs no
 * pathFormat. Each test is bounded by its own timeout and kills its child.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DapFrameReader, MAX_DAP_MESSAGE_BYTES } from '../../src/debug/framing';
import { ensureBuilt, fixture, ROOT } from './harness';

/** Only a deaf or hung adapter gets near this. */
const LIMIT = { timeout: 30_000 };

before(() => ensureBuilt());

type Message = Record<string, unknown>;

/** A spawned `irqlab dap` and the messages it wrote, decoded with a strict reader of its own. */
class RawAdapter {
  readonly child: ChildProcessWithoutNullStreams;
  readonly messages: Message[] = [];
  stderr = '';
  private pending = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor() {
    this.child = spawn(process.execPath, [join(ROOT, 'bin', 'irqlab.js'), 'dap'], { cwd: ROOT });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.stdout.on('data', (d: Buffer) => this.read(d));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => {
      resolve(code);
      this.wake();
    }));
  }

  private read(d: Buffer): void {
    this.pending = Buffer.concat([this.pending, d]);
    for (;;) {
      const head = /^Content-Length: (\d+)\r\n\r\n/.exec(this.pending.toString('latin1', 0, 64));
      if (!head) break;
      const start = head[0].length;
      const n = Number(head[1]);
      if (this.pending.length < start + n) break;
      this.messages.push(JSON.parse(this.pending.toString('utf8', start, start + n)) as Message);
      this.pending = this.pending.subarray(start + n);
    }
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(bytes: string | Buffer): void {
    this.child.stdin.write(bytes);
  }

  async response(requestSeq: number): Promise<Message> {
    for (;;) {
      const found = this.messages.find((m) => m.type === 'response' && m.request_seq === requestSeq);
      if (found) return found;
      if (this.child.exitCode !== null) throw new Error(`adapter exited (${this.child.exitCode}) before answering ${requestSeq}; stderr:\n${this.stderr}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

function frame(message: Message, header?: string): string {
  const json = JSON.stringify(message);
  return (header ?? `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n`) + json;
}

const THREADS = (seq: number): Message => ({ seq, type: 'request', command: 'threads' });
const BODY = JSON.stringify(THREADS(1));

/** Each bad frame, then a well-formed request 7 that must be answered. */
const BAD_FRAMES: Record<string, string> = {
  'Content-Length abc': `Content-Length: abc\r\n\r\n${BODY}`,
  'Content-Length -5': `Content-Length: -5\r\n\r\n${BODY}`,
  'an empty Content-Length': `Content-Length: \r\n\r\n${BODY}`,
  'Content-Length 0x10': `Content-Length: 0x10\r\n\r\n${BODY}`,
  'Content-Length 1e1': `Content-Length: 1e1\r\n\r\n${BODY}`,
  'a length too short for its body': `Content-Length: 10\r\n\r\n${BODY}`,
  'a length too long for its body': `Content-Length: 400\r\n\r\n${BODY}`,
  'a missing header': BODY,
  'a header block without Content-Length': `Content-Type: application/json\r\n\r\n${BODY}`,
  'a body that is not JSON': 'Content-Length: 5\r\n\r\nhello',
  'a body that is JSON but not an object': 'Content-Length: 7\r\n\r\n[1,2,3]',
  'garbage with control bytes': '\u001b[2J\u0000junk\r\n\r\n',
  'an object that is neither a request nor a response': 'Content-Length: 9\r\n\r\n{"foo":1}',
  'two different Content-Length headers': `Content-Length: 46\r\nContent-Length: 47\r\n\r\n${BODY}`,
};

for (const [name, bytes] of Object.entries(BAD_FRAMES)) {
  test(`after ${name}, the next well-formed request is answered`, LIMIT, async () => {
    const dap = new RawAdapter();
    try {
      dap.send(bytes);
      dap.send(frame(THREADS(7)));
      const r = await dap.response(7);
      assert.equal(r.success, true);
      assert.equal(r.command, 'threads');
      // The skipped bytes are reported on stderr, escaped.
      assert.match(dap.stderr, /irqlab dap: /);
      assert.doesNotMatch(dap.stderr, /[\u0000-\u0009\u000b-\u001f]/);
      // And it keeps serving.
      dap.send(frame(THREADS(8)));
      assert.equal((await dap.response(8)).success, true);
    } finally {
      dap.kill();
    }
  });
}

test('a too-long length is noticed when the next header arrives inside it: both requests are answered', LIMIT, async () => {
  const dap = new RawAdapter();
  try {
    dap.send(`Content-Length: 400\r\n\r\n${JSON.stringify(THREADS(3))}`);
    dap.send(frame(THREADS(7)));
    assert.equal((await dap.response(7)).success, true);
    assert.equal((await dap.response(3)).success, true);
    assert.match(dap.stderr, /claimed 400 bytes/);
  } finally {
    dap.kill();
  }
});

test('header names in any case and LF-only header lines are accepted (as in HTTP)', LIMIT, async () => {
  const dap = new RawAdapter();
  try {
    dap.send(frame(THREADS(3), `content-length: ${BODY.length}\r\n\r\n`));
    dap.send(frame(THREADS(4), `CONTENT-LENGTH:${BODY.length}\n\n`));
    dap.send(frame(THREADS(5), `Content-Type: application/vscode-jsonrpc; charset=utf-8\nContent-Length:  ${BODY.length}  \n\n`));
    dap.send(frame(THREADS(7)));
    for (const seq of [3, 4, 5, 7]) assert.equal((await dap.response(seq)).success, true, `request ${seq}`);
    assert.equal(dap.stderr, '');
  } finally {
    dap.kill();
  }
});

test('a message split into single bytes is still read', LIMIT, async () => {
  const dap = new RawAdapter();
  try {
    for (const b of Buffer.from(frame(THREADS(7)) + frame(THREADS(8)))) dap.send(Buffer.from([b]));
    assert.equal((await dap.response(7)).success, true);
    assert.equal((await dap.response(8)).success, true);
  } finally {
    dap.kill();
  }
});

test('a declared length over the maximum ends the adapter with a clear message (exit 2), not a hang', LIMIT, async () => {
  const dap = new RawAdapter();
  try {
    dap.send(frame(THREADS(6)));
    assert.equal((await dap.response(6)).success, true);
    dap.send(`Content-Length: ${MAX_DAP_MESSAGE_BYTES + 1}\r\n\r\n{"seq":7,`);
    assert.equal(await dap.exited, 2);
    assert.match(dap.stderr, new RegExp(`declares Content-Length ${MAX_DAP_MESSAGE_BYTES + 1}, more than the maximum of 16 MiB`));
  } finally {
    dap.kill();
  }
});

test('a request without a numeric seq gets an error response and is not run', LIMIT, async () => {
  const dap = new RawAdapter();
  try {
    dap.send(frame({ type: 'request', command: 'threads' }));
    dap.send(frame({ seq: 'nine', type: 'request', command: 'threads' }));
    dap.send(frame({ seq: 2.5, type: 'request', command: 'threads' }));
    dap.send(frame({ seq: 7, type: 'request' }));
    dap.send(frame(THREADS(8)));
    await dap.response(8);
    const errors = dap.messages.filter((m) => m.type === 'response' && m.success === false);
    assert.equal(errors.length, 4, JSON.stringify(dap.messages));
    for (const e of errors.slice(0, 3)) {
      assert.equal(e.request_seq, 0);
      assert.equal(e.body && (e as { body: { threads?: unknown } }).body.threads, undefined);
      assert.match(String(e.message), /its 'seq' must be a non-negative integer/);
    }
    assert.match(String(errors[0].message), /got none/);
    assert.match(String(errors[1].message), /got "nine"/);
    assert.equal(errors[3].request_seq, 7);
    assert.match(String(errors[3].message), /'command' must be a non-empty string/);
  } finally {
    dap.kill();
  }
});

test('initialize without pathFormat succeeds (DAP default "path") and a launch follows', LIMIT, async () => {
  const dap = new RawAdapter();
  try {
    dap.send(frame({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'irq' } }));
    const init = await dap.response(1);
    assert.equal(init.success, true, JSON.stringify(init));
    assert.equal((init.body as { supportsStepBack?: boolean }).supportsStepBack, true);
    dap.send(frame({ seq: 2, type: 'request', command: 'launch', arguments: { program: fixture('xive-deliver.irq'), stopOnEntry: true } }));
    dap.send(frame({ seq: 3, type: 'request', command: 'configurationDone' }));
    assert.equal((await dap.response(2)).success, true);
    // A client that says it wants URIs is still told the adapter speaks paths.
    dap.send(frame({ seq: 4, type: 'request', command: 'initialize', arguments: { adapterID: 'irq', pathFormat: 'uri' } }));
    assert.equal((await dap.response(4)).success, false);
    // Without arguments at all.
    dap.send(frame({ seq: 5, type: 'request', command: 'initialize' }));
    assert.equal((await dap.response(5)).success, true);
  } finally {
    dap.kill();
  }
});

test('the frame reader alone: every byte split, a bad frame between good ones, nothing lost', () => {
  const good = (seq: number): string => frame(THREADS(seq));
  const stream = Buffer.from(good(1) + 'Content-Length: x\r\n\r\n' + BODY + good(2) + 'Content-Length: 3\r\n\r\n{"a' + good(3) + '\r\n' + good(4));
  for (const size of [1, 2, 7, 64, stream.length]) {
    const seen: number[] = [];
    const problems: string[] = [];
    const reader = new DapFrameReader({ message: (m) => seen.push(m.seq as number), problem: (p) => problems.push(p), fatal: (f) => assert.fail(f) });
    for (let i = 0; i < stream.length; i += size) reader.push(stream.subarray(i, i + size));
    reader.end();
    assert.deepEqual(seen, [1, 2, 3, 4], `chunks of ${size}: ${problems.join(' | ')}`);
    assert.ok(problems.length >= 2, `chunks of ${size}`);
  }
});

test('launching /dev/zero, or a program that includes it, is refused at once with the reason', LIMIT, async () => {
  const dap = new RawAdapter();
  const dir = mkdtempSync(join(tmpdir(), 'irqlab-dap-zero-'));
  writeFileSync(join(dir, 'zero.irq'), 'device xive\ninclude "/dev/zero"\n');
  const fifo = join(dir, 'nobody.irq');
  execFileSync('mkfifo', [fifo]);
  try {
    dap.send(frame({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'irq' } }));
    dap.send(frame({ seq: 2, type: 'request', command: 'launch', arguments: { program: '/dev/zero' } }));
    const direct = await dap.response(2);
    assert.equal(direct.success, false);
    assert.match(String(direct.message), /cannot read program '\/dev\/zero' \(\/dev\/zero\): '\/dev\/zero' is a character device/);
    const other = new RawAdapter();
    try {
      other.send(frame({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'irq' } }));
      other.send(frame({ seq: 2, type: 'request', command: 'launch', arguments: { program: join(dir, 'zero.irq') } }));
      const included = await other.response(2);
      assert.equal(included.success, false);
      assert.match(String(included.message), /zero\.irq:2:9: cannot read included file '\/dev\/zero' \(\/dev\/zero\): '\/dev\/zero' is a character device/);
    } finally {
      other.kill();
    }
    // A FIFO with no writer is read as an empty scenario, not waited for.
    const third = new RawAdapter();
    try {
      third.send(frame({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'irq' } }));
      third.send(frame({ seq: 2, type: 'request', command: 'launch', arguments: { program: fifo, stopOnEntry: true } }));
      third.send(frame({ seq: 3, type: 'request', command: 'configurationDone' }));
      assert.equal((await third.response(2)).success, true);
    } finally {
      third.kill();
    }
  } finally {
    dap.kill();
  }
});
