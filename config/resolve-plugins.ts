import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPlugin, type Plugin } from '../hooks/plugin.ts';
import { ConfigError } from './config-error.ts';
import type { PluginEntry } from './schema.ts';
import { unwrapDefault } from './ts-loader.ts';

/** Turns config entries (objects, module names, [name, options]) into plugins, in order. */
export async function resolvePlugins(
  entries: readonly PluginEntry[],
  projectRoot: string,
  configFile: string | null,
): Promise<Plugin[]> {
  const out: Plugin[] = [];
  for (const [i, entry] of entries.entries()) {
    if (isPlugin(entry)) {
      out.push(entry);
      continue;
    }
    const [name, options] = typeof entry === 'string' ? [entry, undefined] : (entry as [string, unknown]);
    out.push(await importPlugin(name, options, projectRoot, configFile, i));
  }
  return out;
}

async function importPlugin(
  name: string,
  options: unknown,
  projectRoot: string,
  configFile: string | null,
  index: number,
): Promise<Plugin> {
  const where = `plugins.${index}`;
  let url: string;
  try {
    url = pathToFileURL(createRequire(join(projectRoot, 'package.json')).resolve(name)).href;
  } catch {
    throw new ConfigError(configFile, [
      `${where}: cannot find module "${name}" from ${projectRoot} (is it installed?)`,
    ]);
  }
  const exported = unwrapDefault(await import(url));
  const plugin = typeof exported === 'function' ? (exported as (o: unknown) => unknown)(options) : exported;
  if (!isPlugin(plugin))
    throw new ConfigError(configFile, [
      `${where}: module "${name}" does not export a plugin ({ name, apply })`,
    ]);
  return plugin;
}
