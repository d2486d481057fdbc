/**
 * The spawned CLI against hostile input: devices, FIFOs without a writer,
 * files over the size limit, directories, UTF-16, control bytes and
 * newlines in arguments, numbers the language rejects, repeated fields and
 * `--`. Every child runs with its own timeout (killed when it passes), so a
 * regression that hangs fails the test instead of the runner.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync, SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../debug/harness';

const CLI = join(ROOT, 'bin', 'irqlab.js');
/** Far longer than any of these commands takes; only a hang reaches it. */
const HANG_LIMIT_MS = 30_000;

before(() => ensureBuilt());

function irqlab(args: readonly string[], options: { cwd?: string } = {}): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT, encoding: 'utf8', timeout: HANG_LIMIT_MS, killSignal: 'SIGKILL', stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.notEqual(r.signal, 'SIGKILL', `irqlab ${args.join(' ')} hung (killed after ${HANG_LIMIT_MS} ms)`);
  return r;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'irqlab-hostile-'));
}

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/** No raw control byte reaches the terminal (newlines only between lines). */
function assertNoControlBytes(text: string): void {
  assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, JSON.stringify(text));
}

test('/dev/zero is refused at once, given directly or through include, naming the file', () => {
  for (const command of ['check', 'run']) {
    const r = irqlab([command, '/dev/zero']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /'\/dev\/zero' is a character device, not a regular file or a pipe/);
  }
  const dir = tempDir();
  writeFileSync(join(dir, 'zero.irq'), 'device xive\ninclude "/dev/zero"\n');
  const check = irqlab(['check', 'zero.irq'], { cwd: dir });
  assert.equal(check.status, 1);
  assert.match(check.stdout, /zero\.irq:2:9: error: cannot read included file '\/dev\/zero' .*: '\/dev\/zero' is a character device/);
  const run = irqlab(['run', 'zero.irq'], { cwd: dir });
  assert.equal(run.status, 2);
  assert.match(run.stdout, /'\/dev\/zero' is a character device/);
});

test('a file larger than the maximum is refused with its size, directly and as an include', () => {
  const dir = tempDir();
  const big = join(dir, 'big.irq');
  writeFileSync(big, '');
  truncateSync(big, 300 * 1024 * 1024); // sparse: no disk used
  const r = irqlab(['check', big]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /big\.irq' is 300 MiB \(314572800 bytes\), more than the maximum of 256 MiB for a scenario file/);
  writeFileSync(join(dir, 'main.irq'), 'include "big.irq"\n');
  const inc = irqlab(['check', 'main.irq'], { cwd: dir });
  assert.equal(inc.status, 1);
  assert.match(inc.stdout, /main\.irq:1:9: error: cannot read included file 'big\.irq' .*is 300 MiB \(314572800 bytes\), more than the maximum/);
});

test('a FIFO with no writer does not hang check, run or an include (read as empty)', () => {
  const dir = tempDir();
  const fifo = join(dir, 'nobody.irq');
  mkfifo(fifo);
  const check = irqlab(['check', fifo]);
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stdout, /1 file checked: 0 errors/);
  const run = irqlab(['run', fifo]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /0 passed, 0 failed/);
  writeFileSync(join(dir, 'main.irq'), 'include "nobody.irq"\nlog "after"\n');
  const inc = irqlab(['run', 'main.irq'], { cwd: dir });
  assert.equal(inc.status, 0, inc.stderr);
  assert.match(inc.stdout, /main\.irq:2:1: log after/);
});

test('irqlab run <(...) from a shell reads the pipe (bounded), and so does an include of it', () => {
  const scenario = String.raw`device xive\nlog "from a pipe"\n`;
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" run <(printf '${scenario}')`], {
    cwd: ROOT, encoding: 'utf8', timeout: HANG_LIMIT_MS, killSignal: 'SIGKILL',
  });
  assert.notEqual(r.signal, 'SIGKILL', 'irqlab run <(...) hung');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\/dev\/fd\/\d+:2:1: log from a pipe/);
  const dir = tempDir();
  writeFileSync(join(dir, 'main.irq'), 'include "/dev/fd/3"\nlog "after"\n');
  const inc = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" run main.irq 3< <(printf '${scenario}')`], {
    cwd: dir, encoding: 'utf8', timeout: HANG_LIMIT_MS, killSignal: 'SIGKILL',
  });
  assert.equal(inc.status, 0, inc.stderr + inc.stdout);
  assert.match(inc.stdout, /log from a pipe/);
});

test('a directory as FILE says it is a directory', () => {
  const dir = tempDir();
  for (const command of ['check', 'run']) {
    const r = irqlab([command, dir]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /is a directory, not a scenario file/);
  }
});

test('a UTF-16 file (a BOM, or NULs after every character) gets a hint that it must be UTF-8', () => {
  const dir = tempDir();
  const text = 'device xive\nvcpu 1 connect\n';
  writeFileSync(join(dir, 'le.irq'), Buffer.from(text, 'utf16le'));
  writeFileSync(join(dir, 'bom.irq'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  writeFileSync(join(dir, 'be.irq'), Buffer.from(text, 'utf16le').swap16());
  for (const f of ['le.irq', 'bom.irq', 'be.irq']) {
    const r = irqlab(['check', f], { cwd: dir });
    assert.equal(r.status, 2, f);
    assert.match(r.stderr, new RegExp(`'${f.replace('.', '\\.')}' looks like UTF-16 text .*scenarios must be UTF-8`));
    assertNoControlBytes(r.stderr);
  }
});

test('control bytes in arguments, file names and file contents are escaped; a newline cannot split a message', () => {
  const decode = irqlab(['decode', 'xive-source', '\u001b[2J\u001a\u007f']);
  assert.equal(decode.status, 2);
  assert.match(decode.stderr, /'\\x1b\[2J\\x1a\\x7f'/);
  assertNoControlBytes(decode.stderr);
  const newline = irqlab(['decode', 'xive-source', '12\n34']);
  assert.equal(newline.status, 2);
  assert.equal(newline.stderr.trimEnd().split('\n').length, 1, newline.stderr);
  assert.match(newline.stderr, /'12\\n34'/);
  const layout = irqlab(['encode', 'xive\u001bsource', 'priority=1']);
  assert.match(layout.stderr, /unknown layout 'xive\\x1bsource'/);
  const field = irqlab(['encode', 'xive-source-config', 'priority=1\u001b[31m']);
  assert.equal(field.status, 2);
  assertNoControlBytes(field.stderr);
  for (const server of ['lsp', 'dap']) {
    const r = irqlab([server, '--\u001b[2J']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /'--\\x1b\[2J'/);
    assertNoControlBytes(r.stderr);
  }
  const missing = irqlab(['run', 'nope\u001b[2J.irq']);
  assert.match(missing.stderr, /cannot read 'nope\\x1b\[2J\.irq': no such file/);
  assertNoControlBytes(missing.stderr);

  const dir = tempDir();
  writeFileSync(join(dir, 'esc.irq'), 'device xive\n\u001b[2J\nlog "a\u001b[31mb"\n');
  const check = irqlab(['check', 'esc.irq'], { cwd: dir });
  assert.match(check.stdout, /esc\.irq:2:1: error: unexpected character '\\x1b'/);
  assertNoControlBytes(check.stdout);
  writeFileSync(join(dir, 'log.irq'), 'device xive\nlog "a\u001b[31mb\u0007"\n');
  const run = irqlab(['run', 'log.irq'], { cwd: dir });
  assert.equal(run.status, 0, run.stdout);
  assert.match(run.stdout, /log\.irq:2:1: log a\\x1b\[31mb\\x07/);
  assertNoControlBytes(run.stdout);
});

test('decode and encode take numbers exactly as the language does', () => {
  for (const bad of ['0x1_', '1_', '0x_1', '1__2', '0b1_', '0x', '1e1', '-5', '0x1g', '']) {
    const enc = irqlab(['encode', 'xive-source-config', `server=${bad}`]);
    assert.equal(enc.status, 2, `encode server=${bad}: ${enc.stdout}`);
    assert.equal(enc.stdout, '');
    assert.match(enc.stderr, /malformed number/);
    if (bad === '' || bad.startsWith('-')) continue;
    const dec = irqlab(['decode', 'xive-source-config', bad]);
    assert.equal(dec.status, 2, `decode ${bad}: ${dec.stdout}`);
    assert.match(dec.stderr, /malformed number/);
  }
  // What the language accepts still works.
  const ok = irqlab(['encode', 'xive-source-config', 'priority=0b1_10', 'server=1', 'eisn=0x13_00']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout, '0x000026000000000e\n');
  assert.equal(irqlab(['decode', 'xive-source-config', '0X0000_2600_0000_000E']).status, 0);
});

test('encode refuses a field given twice', () => {
  const r = irqlab(['encode', 'xive-source-config', 'priority=1', 'priority=2']);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /field 'priority' is given twice \('priority=1' and 'priority=2'\)/);
  const cased = irqlab(['encode', 'xive-source-config', 'server=1', 'SERVER=1']);
  assert.equal(cased.status, 2);
});

test('-- ends the options of run and check: a FILE may then start with a dash', () => {
  const dir = tempDir();
  writeFileSync(join(dir, '-x.irq'), 'device xive\nlog "dash"\n');
  writeFileSync(join(dir, 'ok.irq'), 'device xive\n');
  const run = irqlab(['run', '--quiet', '--', '-x.irq', 'ok.irq'], { cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /0 passed, 0 failed/);
  const loud = irqlab(['run', '--', '-x.irq'], { cwd: dir });
  assert.match(loud.stdout, /-x\.irq:2:1: log dash/);
  const check = irqlab(['check', '--', '-x.irq'], { cwd: dir });
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stdout, /1 file checked: 0 errors/);
  // After --, --help is a file name, not a request for help.
  const help = irqlab(['check', '--', '--help'], { cwd: dir });
  assert.equal(help.status, 2);
  assert.match(help.stderr, /cannot read '--help': no such file/);
  // Before --, an unknown option is still refused.
  assert.equal(irqlab(['run', '-x.irq'], { cwd: dir }).status, 2);
});
