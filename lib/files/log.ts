import { appendFileSync, renameSync, statSync } from 'node:fs';
import { ensurePluginDir, pluginFile } from './plugin-dir.ts';

const MAX_LOG_BYTES = 1024 * 1024;

/**
 * One line in the plugin's own log. Collection triggered by the framework must never print into
 * the framework's output or fail it, so its errors land here. Kept to ~1 MB (one old file).
 */
export function appendLog(
  projectRoot: string,
  level: 'info' | 'warn' | 'error',
  message: string,
  now = new Date(),
): void {
  try {
    ensurePluginDir(projectRoot);
    const path = pluginFile(projectRoot, 'log');
    try {
      if (statSync(path).size > MAX_LOG_BYTES) renameSync(path, `${path}.1`);
    } catch {
      // No log yet.
    }
    appendFileSync(path, `${now.toISOString()} ${level} ${message.replace(/\s*\n\s*/g, ' | ')}\n`, {
      mode: 0o600,
    });
  } catch {
    // Logging must never be the thing that breaks the host.
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
