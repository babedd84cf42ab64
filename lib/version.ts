import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's version, read from its package.json (found upward: from lib/ or from dist/lib/). */
export const PACKAGE_VERSION: string = findVersion();

function findVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === '@tapps-agents/learning' && pkg.version) return pkg.version;
    } catch {
      // Not here; look one folder up.
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}
