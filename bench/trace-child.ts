/**
 * One measured run for bench/trace-replay.bench.ts, in its own process so its
 * peak memory is its own: `split FILE...` (the floor: stream, gunzip and split
 * lines, nothing else), `replay FILE...`, `import OUT FILE...`, `run FILE`
 * (the real CLI commands, output discarded). Prints one JSON line:
 * { ms, maxRssMiB, code }.
 */
import { main } from '../src/cli/main';
import type { CliIo } from '../src/cli/io';
import { readTextFileBounded } from '../src/cli/io';
import { streamTraceLines } from '../src/cli/trace-input';

const quiet: CliIo = {
  stdout: () => undefined,
  stderr: () => undefined,
  readFile: (p) => {
    const r = readTextFileBounded(p);
    return r.ok ? r.text : undefined;
  },
  readText: (p) => readTextFileBounded(p),
  cwd: process.cwd(),
};

async function measured(): Promise<number> {
  const [mode, ...rest] = process.argv.slice(2);
  switch (mode) {
    case 'split': {
      let n = 0;
      await streamTraceLines(rest, () => {
        n++;
      });
      return n > 0 ? 0 : 2;
    }
    case 'replay':
      return main(['replay', ...rest], quiet);
    case 'import':
      return main(['import', 'qemu-trace', '-o', rest[0], ...rest.slice(1)], quiet);
    case 'run':
      return main(['run', '--quiet', ...rest], quiet);
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

const t0 = process.hrtime.bigint();
measured().then((code) => {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(`${JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, code })}\n`);
}, (e: unknown) => {
  console.error(e);
  process.exit(3);
});
