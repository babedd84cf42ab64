import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { HooksStatus } from '../../schema/dashboard.ts';

const EVENTS = ['SessionStart', 'SessionEnd', 'UserPromptSubmit', 'PostToolUse', 'WorkflowComplete'] as const;
type HookEvent = (typeof EVENTS)[number];
/** hooks.yaml is a small hand-edited file; anything larger is not one we should parse. */
const MAX_BYTES = 1_000_000;

/**
 * Which framework events run our collector, from the text of `.tapps-agents/hooks.yaml`. The
 * framework's schema is two levels (event → list of hooks with `command`, `enabled`…), so a line
 * scanner suffices and needs no YAML dependency; both block and flow style items are understood.
 */
export function collectorEvents(yaml: string): HookEvent[] {
  const found = new Set<HookEvent>();
  let event: HookEvent | null = null;
  let item: string[] = [];
  const flush = () => {
    if (event && item.length > 0 && isCollector(item.join('\n'))) found.add(event);
    item = [];
  };
  for (const raw of yaml.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '');
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const key = /^\s*["']?([A-Za-z]+)["']?\s*:\s*(\[\s*\])?\s*$/.exec(line);
    if (key && (EVENTS as readonly string[]).includes(key[1] as string)) {
      flush();
      event = key[1] as HookEvent;
      continue;
    }
    if (/^\S/.test(line)) {
      // A new top-level key ends the hooks map's current event.
      flush();
      event = null;
      continue;
    }
    if (/^\s*-\s/.test(line) || /^\s*-$/.test(line)) flush();
    item.push(line);
  }
  flush();
  return EVENTS.filter((e) => found.has(e));
}

function isCollector(item: string): boolean {
  const command = /\bcommand\s*:\s*(.+)/.exec(item)?.[1] ?? '';
  const disabled = /\benabled\s*:\s*(false|no|off)\b/i.test(item);
  return /\blearning\s+collect\b/.test(command) && !disabled;
}

/** The collector hook's state in a project: reads `.tapps-agents/hooks.yaml`, never writes. */
export function readHooksStatus(projectRoot: string): HooksStatus {
  const path = join(projectRoot, '.tapps-agents', 'hooks.yaml');
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      file: code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable',
      collector: false,
      events: [],
    };
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_BYTES) return { file: 'unreadable', collector: false, events: [] };
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    const events = collectorEvents(buf.subarray(0, off).toString('utf8'));
    return { file: 'present', collector: events.length > 0, events };
  } catch {
    return { file: 'unreadable', collector: false, events: [] };
  } finally {
    closeSync(fd);
  }
}
