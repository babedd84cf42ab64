import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * Chart.js's UMD build, to inline into the HTML page. Its package `exports` hide the file, so it is
 * found next to the entry point (ecosystem.md 3.3). Read once per process.
 */
export function chartJsSource(): string {
  if (cached === undefined) {
    const path = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
    cached = readFileSync(path, 'utf8');
  }
  return cached;
}
