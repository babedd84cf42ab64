import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run coverage` step: tsx compiles a CommonJS-style `tapps-agents.config.ts` into a `data:`
 * URL module, and c8 12 crashes (ERR_INVALID_URL_SCHEME) on any non-file URL in V8's source-map
 * cache. Those entries are test configs, never our sources, so they are dropped before reporting.
 * A process killed with -9 mid-write (the crash tests do that on purpose) can leave a truncated
 * file, which c8 would also choke on: it is removed.
 */
const dir = process.argv[2] ?? 'coverage/tmp';
let dropped = 0;
let truncated = 0;
for (const name of readdirSync(dir)) {
  if (!name.endsWith('.json')) continue;
  const path = join(dir, name);
  let data: { 'source-map-cache'?: Record<string, unknown> };
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    unlinkSync(path);
    truncated++;
    continue;
  }
  const cache = data['source-map-cache'];
  if (!cache) continue;
  let changed = false;
  for (const url of Object.keys(cache)) {
    if (!url.startsWith('file:')) {
      delete cache[url];
      dropped++;
      changed = true;
    }
  }
  if (changed) writeFileSync(path, JSON.stringify(data));
}
process.stderr.write(
  `coverage: dropped ${dropped} non-file source map(s) and ${truncated} truncated file(s) from ${dir}\n`,
);
