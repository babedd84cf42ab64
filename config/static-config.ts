import { existsSync, readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { ConfigSearch } from './search-places.ts';

const CODE = new Set(['.ts', '.mts', '.js', '.mjs', '.cjs']);
/** Static imports and requires of a module, with its specifier (group 2). */
const IMPORT = /\bimport\s+(?:type\s+)?(?:[\w$*{},\s]+?\s+from\s+)?(['"])(.*?)\1\s*;?/g;
const REQUIRE = /\b(?:const|let|var)\s+[\w${}:,\s]+=\s*require\s*\(\s*(['"])(.*?)\1\s*\)\s*;?/g;
/** This package, whose code the quick check is part of (its version is in the fingerprint). */
const OURS = /^@tapps-agents\/learning(?:\/[a-z]+)?$/;
/**
 * What, left in a config's code once its imports of this package are gone, may make it differ per
 * run or depend on other files (a re-export `from '…'` too).
 */
const DYNAMIC =
  /\b(?:process|globalThis|global|eval|Function|Date|Math|fetch|require|import|Deno|Bun|__dirname|__filename)\b|\bfrom\s*['"`]/;

/**
 * Why the config's settings may not follow from the bytes of the files configSearch lists (null when
 * they do), so a fingerprint of those files cannot stand for loading it:
 * - cosmiconfig's meta-configuration in the working folder (it can add search places);
 * - settings that did not come from these files (given to createHost in code);
 * - a data config (JSON, YAML, package.json) that pulls in others with `$import`;
 * - a code config that imports anything but this package, or reads the environment, the clock,
 *   files or modules at run time. The usual `tapps-agents.config.ts` (defineConfig and
 *   learningPlugin from this package, literal settings) is static.
 */
export function configNotStatic(search: ConfigSearch, configFile: string | null): string | null {
  for (const meta of search.meta) {
    if (!existsSync(meta)) continue;
    if (basename(meta) !== 'package.json') return `cosmiconfig meta-configuration ${meta}`;
    if (hasKey(meta, 'cosmiconfig')) return `cosmiconfig options in ${meta}`;
  }
  if (configFile === null) {
    // Settings handed to createHost in code while a file holds some: the CLI would load the file.
    for (const f of search.files)
      if (existsSync(f) && (basename(f) !== 'package.json' || hasKey(f, 'tapps-agents')))
        return `${f} holds settings the host did not load`;
    return null;
  }
  if (!search.files.includes(configFile)) return `${configFile} is not where the config is searched for`;
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch {
    return `${configFile} is unreadable`;
  }
  if (!CODE.has(extname(configFile)))
    return text.includes('$import') ? `${configFile} imports other files ($import)` : null;
  return codeNotStatic(text) ? `${configFile} is code that imports or reads more than literals` : null;
}

function codeNotStatic(text: string): boolean {
  let foreign = false;
  const strip = (_all: string, _quote: string, specifier: string) => {
    if (!OURS.test(specifier)) foreign = true;
    return '';
  };
  const rest = text.replace(IMPORT, strip).replace(REQUIRE, strip);
  return foreign || DYNAMIC.test(rest);
}

function hasKey(path: string, key: string): boolean {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return value !== null && typeof value === 'object' && Object.hasOwn(value, key);
  } catch {
    // Unreadable now: cosmiconfig would fail on it, so the fingerprint must not stand for it.
    return true;
  }
}
