import { cosmiconfig, defaultLoaders } from 'cosmiconfig';
import * as v from 'valibot';
import { ConfigError, describeIssues } from './config-error.ts';
import { findGitRoot } from './project-root.ts';
import { ConfigSchema, type ResolvedConfig } from './schema.ts';
import { SEARCH_PLACES } from './search-places.ts';
import { tsLoader } from './ts-loader.ts';

export { CONFIG_NAMES } from './search-places.ts';

export interface LoadedConfig {
  config: ResolvedConfig;
  filepath: string | null;
}

/**
 * Searches from `projectRoot` up to the git root for a tapps-agents.config.* file or a
 * `tapps-agents` key in package.json. No config at all means defaults, not an error.
 */
export async function loadConfig(projectRoot: string): Promise<LoadedConfig> {
  const explorer = cosmiconfig('tapps-agents', {
    searchPlaces: [...SEARCH_PLACES],
    packageProp: 'tapps-agents',
    searchStrategy: 'global',
    stopDir: findGitRoot(projectRoot) ?? projectRoot,
    cache: false,
    loaders: { ...defaultLoaders, '.ts': tsLoader, '.mts': tsLoader },
  });
  let found: { config: unknown; filepath: string; isEmpty?: boolean } | null;
  try {
    found = await explorer.search(projectRoot);
  } catch (error) {
    const file = (error as { filepath?: string }).filepath ?? null;
    throw new ConfigError(file, [`cannot be loaded: ${(error as Error).message}`]);
  }
  if (!found || found.isEmpty) return { config: {}, filepath: found?.filepath ?? null };
  return { config: validateConfig(found.config, found.filepath), filepath: found.filepath };
}

export function validateConfig(raw: unknown, filepath: string | null): ResolvedConfig {
  const parsed = v.safeParse(ConfigSchema, raw ?? {});
  if (!parsed.success) throw new ConfigError(filepath, describeIssues(parsed.issues));
  return parsed.output;
}
