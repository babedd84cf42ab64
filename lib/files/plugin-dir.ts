import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Everything the plugin keeps locally lives here, ignored by git (CONVENTIONS.md). */
export function pluginDir(projectRoot: string): string {
  return join(projectRoot, '.tapps-agents', 'learning-plugin');
}

export const PLUGIN_FILES = {
  state: 'state.msgpack',
  secret: 'secret',
  lock: 'lock',
  log: 'plugin.log',
  consent: 'consent.json',
  receipts: 'receipts.jsonl',
  outbox: 'outbox',
  /** What the last collection looked at, so `learning collect` can tell nothing is new without loading (lib/collect/fingerprint-file.ts). */
  quickCheck: 'quick-check.json',
} as const;

export function pluginFile(projectRoot: string, name: keyof typeof PLUGIN_FILES): string {
  return join(pluginDir(projectRoot), PLUGIN_FILES[name]);
}

/** Creates the folder with its `.gitignore` of `*`, so nothing here is ever committed. */
export function ensurePluginDir(projectRoot: string): string {
  const dir = pluginDir(projectRoot);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ignore = join(dir, '.gitignore');
  if (!existsSync(ignore))
    writeFileSync(ignore, '# written by @tapps-agents/learning: local state, never commit\n*\n');
  return dir;
}
