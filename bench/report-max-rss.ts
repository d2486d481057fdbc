/**
 * Preloaded into a child (`node -r report-max-rss.js ...`): at exit it writes the process's peak
 * resident set (`process.resourceUsage().maxRSS`, KiB) to the file named by IRQLAB_MAX_RSS_FILE,
 * so a bench can measure a spawned CLI without a platform tool.
 */
import { writeFileSync } from 'node:fs';

const target = process.env.IRQLAB_MAX_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
