/**
 * `irqlab import info-pic DUMP [-o OUT.irq]`: a scenario that rebuilds a QEMU `info pic` dump
 * with QEMU's own restore operations (src/trace/info-pic-scenario.ts), then expects that state.
 */
import { writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parseInfoPic } from '../model/info-pic-parse';
import { scenarioFromInfoPic } from '../trace/info-pic-scenario';
import { CliIo, escapeControlBytes, EXIT_OK, EXIT_USAGE, readTextVia } from './io';

export const IMPORT_INFO_PIC_HELP = `usage: irqlab import info-pic DUMP [-o OUT.irq] [--xics-device xics|xics-on-xive|xics-pr]

Reads an "info pic" dump of a pseries machine (QEMU 7.2 or current; XIVE or XICS) and writes
a scenario that rebuilds that state with the operations QEMU uses to restore an in-kernel
controller on migration, followed by expectations that the state equals the dump.
  -o OUT.irq        write the scenario there (default: standard output)
  --xics-device D   the KVM device a XICS dump is restored into (default xics)

Exit codes: 0 written, 2 usage error or a dump that cannot be read (its line and why).
`;

/** Writes a file; injected so tests can capture it. */
export type WriteTextFile = (path: string, text: string) => void;

const writeTextFile: WriteTextFile = (path, text) => writeFileSync(path, text, 'utf8');

export function importInfoPicCommand(args: readonly string[], io: CliIo, write: WriteTextFile = writeTextFile): number {
  let dumpPath: string | undefined;
  let outPath: string | undefined;
  let xicsDevice: 'xics' | 'xics-on-xive' | 'xics-pr' | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--help' || a === '-h') {
      io.stdout(IMPORT_INFO_PIC_HELP);
      return EXIT_OK;
    } else if (a === '-o' || a === '--output') {
      outPath = args[++i];
      if (outPath === undefined) {
        io.stderr(`irqlab import info-pic: ${a} needs a file name\n`);
        return EXIT_USAGE;
      }
    } else if (a === '--xics-device') {
      const d = args[++i];
      if (d !== 'xics' && d !== 'xics-on-xive' && d !== 'xics-pr') {
        io.stderr(`irqlab import info-pic: --xics-device is xics, xics-on-xive or xics-pr${d === undefined ? '' : `, not '${escapeControlBytes(d)}'`}\n`);
        return EXIT_USAGE;
      }
      xicsDevice = d;
    } else if (a.startsWith('-') && a !== '-') {
      io.stderr(`irqlab import info-pic: unknown option ${escapeControlBytes(a)}\n\n${IMPORT_INFO_PIC_HELP}`);
      return EXIT_USAGE;
    } else if (dumpPath === undefined) {
      dumpPath = a;
    } else {
      io.stderr(`irqlab import info-pic: one DUMP at a time ('${escapeControlBytes(a)}' is a second)\n`);
      return EXIT_USAGE;
    }
  }
  if (dumpPath === undefined) {
    io.stderr(`irqlab import info-pic: give the DUMP file\n\n${IMPORT_INFO_PIC_HELP}`);
    return EXIT_USAGE;
  }
  const read = readTextVia(io, dumpPath);
  if (!read.ok) {
    io.stderr(`irqlab import info-pic: ${read.message}\n`);
    return EXIT_USAGE;
  }
  const parsed = parseInfoPic(read.text);
  if (!parsed.ok) {
    io.stderr(`${escapeControlBytes(dumpPath)}:${parsed.line}: ${parsed.reason}\n`);
    return EXIT_USAGE;
  }
  const scenario = scenarioFromInfoPic(parsed.dump, { source: dumpPath.split(/[\\/]/).pop() ?? dumpPath, ...(xicsDevice ? { xicsDevice } : {}) });
  if (!scenario.ok) {
    io.stderr(`${escapeControlBytes(dumpPath)}: cannot rebuild this dump: ${scenario.reason}\n`);
    return EXIT_USAGE;
  }
  if (outPath === undefined) {
    io.stdout(scenario.text);
    return EXIT_OK;
  }
  const target = isAbsolute(outPath) ? outPath : join(io.cwd, outPath);
  try {
    write(target, scenario.text);
  } catch (e) {
    io.stderr(`irqlab import info-pic: cannot write '${escapeControlBytes(outPath)}': ${escapeControlBytes(e instanceof Error ? e.message : String(e))}\n`);
    return EXIT_USAGE;
  }
  io.stderr(`irqlab import info-pic: wrote ${escapeControlBytes(outPath)}\n`);
  return EXIT_OK;
}
