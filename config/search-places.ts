import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { findGitRoot } from './project-root.ts';

export const CONFIG_NAMES = [
  'tapps-agents.config.ts',
  'tapps-agents.config.mts',
  'tapps-agents.config.js',
  'tapps-agents.config.mjs',
  'tapps-agents.config.cjs',
  'tapps-agents.config.json',
] as const;

/** What loadConfig hands cosmiconfig to look for in each folder, in order. */
export const SEARCH_PLACES: readonly string[] = ['package.json', ...CONFIG_NAMES];

/** cosmiconfig's own places in its user-wide folder (`globalConfigSearchPlaces`, cosmiconfig 9). */
const GLOBAL_PLACES = [
  'config',
  'config.json',
  'config.yaml',
  'config.yml',
  'config.js',
  'config.ts',
  'config.cjs',
  'config.mjs',
];

/**
 * Where cosmiconfig looks, in the working folder, for options that change how it searches
 * (`metaSearchPlaces`); package.json counts only with a `cosmiconfig` key.
 */
export const META_PLACES = [
  'package.json',
  'package.yaml',
  '.config/config.json',
  '.config/config.yaml',
  '.config/config.yml',
  '.config/config.js',
  '.config/config.ts',
  '.config/config.cjs',
  '.config/config.mjs',
];

/** Environment variables that move cosmiconfig's user-wide folder (env-paths, os.homedir). */
export const CONFIG_DIR_ENV = ['HOME', 'USERPROFILE', 'XDG_CONFIG_HOME', 'APPDATA'] as const;

export interface ConfigSearch {
  /** Every file loadConfig may read, present or not, in cosmiconfig's order. */
  files: string[];
  /** `.git` entries whose presence decides where the search stops (findGitRoot). */
  gitMarkers: string[];
  /** Files in the working folder that can change cosmiconfig's own options. */
  meta: string[];
}

/**
 * The files `loadConfig(projectRoot)` consults when the process runs in `cwd`: the search places of
 * every folder from the project root up to the git root (cosmiconfig's `global` strategy with
 * `stopDir`), then of cosmiconfig's user-wide folder, plus its meta-configuration places in the
 * working folder. Written out here, not taken from cosmiconfig, so a fingerprint of the config can
 * be checked without loading it; test/config/search-places.test.ts holds the two together.
 */
export function configSearch(projectRoot: string, cwd: string, env: NodeJS.ProcessEnv): ConfigSearch {
  const start = resolve(projectRoot);
  const git = findGitRoot(start);
  const stop = git ?? start;
  const gitMarkers: string[] = [];
  for (let dir = start; ; dir = dirname(dir)) {
    gitMarkers.push(join(dir, '.git'));
    if (dir === git || dirname(dir) === dir) break;
  }
  const files: string[] = [];
  for (let dir = start; ; dir = dirname(dir)) {
    for (const place of SEARCH_PLACES) files.push(join(dir, place));
    if (dir === stop || dirname(dir) === dir) break;
  }
  const global = globalConfigDir(env);
  for (const place of GLOBAL_PLACES) files.push(join(global, place));
  const meta = META_PLACES.map((p) => join(resolve(cwd), p));
  return { files, gitMarkers, meta };
}

/** env-paths' `config` folder for `tapps-agents` (suffix ''), which cosmiconfig searches last. */
function globalConfigDir(env: NodeJS.ProcessEnv): string {
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Preferences', 'tapps-agents');
  if (process.platform === 'win32')
    return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'tapps-agents', 'Config');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'tapps-agents');
}
