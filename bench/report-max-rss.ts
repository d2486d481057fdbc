/**
 * Preloaded into a child (`node -r report-max-rss.js ...`): at exit it writes the process's peak
 * resident set (KiB) to the file named by IRQLAB_MAX_RSS_FILE, and `{ maxRssKiB, cpuMs }` (CPU of
 * all its threads) as JSON to IRQLAB_RESOURCES_FILE, so a bench can measure a spawned CLI without
 * a platform tool.
 *
 * The peak is the process's own `VmHWM` (Linux): `getrusage`'s maxRSS, which
 * `process.resourceUsage()` reports, survives `execve`, so a child spawned by a bench runner
 * that had grown to 400 MiB would report at least 400 MiB whatever it used itself.
 */
import { readFileSync, writeFileSync } from 'node:fs';

function peakRssKiB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // Not Linux: the rusage figure, which may include the spawning process's peak.
  }
  return process.resourceUsage().maxRSS;
}

const target = process.env.IRQLAB_MAX_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(peakRssKiB())));

const resources = process.env.IRQLAB_RESOURCES_FILE;
if (resources) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(resources, JSON.stringify({ maxRssKiB: peakRssKiB(), cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
  });
}
