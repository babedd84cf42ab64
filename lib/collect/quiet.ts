import type { Host } from '../../hooks/host.ts';
import { LockBusyError } from '../files/lock.ts';
import { appendLog, errorText } from '../files/log.ts';
import { LearningPlugin, type LearningRuntime, PLUGIN_NAME } from '../plugin.ts';
import { collect } from './collect.ts';

/** The learning plugin's runtime among the host's plugins (also when the config loaded it by name). */
export function learningRuntime(host: Host): LearningRuntime | undefined {
  for (const p of host.plugins) {
    if (p instanceof LearningPlugin) return p.runtime;
    if (p.name === PLUGIN_NAME && 'runtime' in p) return (p as LearningPlugin).runtime;
  }
  return undefined;
}

/**
 * Collection after a framework command the runner ran: in the foreground (the records are in the
 * rollups when the runner returns) but silent, and it never fails: another collector holding the
 * state will read the same records, so a busy lock means skip; any error goes to the plugin's log.
 */
export async function collectQuietly(host: Host, trigger: string): Promise<void> {
  const rt = learningRuntime(host);
  if (!rt?.options.enabled) return;
  try {
    await collect(rt, { waitMs: 0, trigger });
  } catch (error) {
    if (error instanceof LockBusyError) return;
    appendLog(rt.projectRoot, 'error', `collect (${trigger}): ${errorText(error)}`);
  }
}
