/**
 * `npm run bench`: runs every bench/*.bench.js (compiled) and prints one line
 * per figure, `name: value unit`. Each bench module's default export receives
 * `report` and reports medians of several runs itself (see `median` below).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export type Report = (name: string, value: number, unit: string) => void;
export type Bench = (report: Report) => Promise<void> | void;

/** Runs `fn` `runs` times and returns the median of what it returns (or of its duration in ms). */
export async function median(runs: number, fn: () => Promise<number> | number): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await fn());
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

export function timeMs(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function format(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

async function main(): Promise<void> {
  const filter = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
    .sort();
  const report: Report = (name, value, unit) => console.log(`${name}: ${format(value)} ${unit}`);
  for (const f of files) {
    // A bench module exports its entry as `default` or as `run`.
    const mod = (await import(join(__dirname, f))) as { default?: Bench; run?: Bench };
    const entry = mod.default ?? mod.run;
    if (!entry) throw new Error(`${f} exports neither default nor run`);
    await entry(report);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
