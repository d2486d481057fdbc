/**
 * Preloaded into a child (`node -r report-max-rss.js ...`): at exit it writes the process's peak
 * resident set (`process.resourceUsage().maxRSS`, KiB) to the file named by IRQLAB_MAX_RSS_FILE,
 * and `{ maxRssKiB, cpuMs }` (CPU of all its threads) as JSON to IRQLAB_RESOURCES_FILE, so a
 * bench can measure a spawned CLI without a platform tool.
 */
import { writeFileSync } from 'node:fs';

const target = process.env.IRQLAB_MAX_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));

const resources = process.env.IRQLAB_RESOURCES_FILE;
if (resources) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(resources, JSON.stringify({ maxRssKiB: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
  });
}
