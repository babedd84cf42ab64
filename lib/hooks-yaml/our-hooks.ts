import type { HookEvent } from '../../schema/hooks-yaml.ts';

/** A hook the plugin installs: the framework runs `command` on `event`. */
export interface OurHook {
  event: HookEvent;
  name: string;
  command: string;
}

/**
 * The two entries install-hooks manages, named as tapps-data-formats.md 3.1 recommends, so a
 * project that added them by hand from that text gets them updated rather than doubled.
 * SessionEnd fires at the exit of every `tapps-agents` command; WorkflowComplete after each
 * `simple-mode build`.
 */
export const COLLECTOR_HOOKS = [
  { event: 'SessionEnd', name: 'learning-collector', trigger: 'session-end' },
  { event: 'WorkflowComplete', name: 'learning-collector-build', trigger: 'workflow-complete' },
] as const satisfies readonly { event: HookEvent; name: string; trigger: string }[];

/** Our hooks for a runner prefix (how the plugin's bin is started, e.g. `node node_modules/…/bin.js`). */
export function collectorHooks(runner: string): OurHook[] {
  return COLLECTOR_HOOKS.map((h) => ({
    event: h.event,
    name: h.name,
    command: `${runner} learning collect --detach --trigger ${h.trigger}`,
  }));
}

export function isOurs(event: string, name: unknown): boolean {
  return COLLECTOR_HOOKS.some((h) => h.event === event && h.name === name);
}

/** Plain when YAML 1.1 and 1.2 both read it back as this very string; double-quoted otherwise. */
export function yamlScalar(s: string): string {
  const plain =
    /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s) &&
    !/^(?:y|n|yes|no|true|false|on|off|null|~)$/i.test(s) &&
    !/^[-+]?(?:\.inf|\.nan)$/i.test(s);
  return plain ? s : JSON.stringify(s);
}

/** The keys of a hook, in the order they are written: only keys the framework accepts. */
function fields(h: OurHook): [string, string][] {
  return [
    ['name', yamlScalar(h.name)],
    ['command', JSON.stringify(h.command)],
    ['enabled', 'true'],
    ['fail_on_error', 'false'],
  ];
}

/** A block-style list item, its dash at `dashIndent` and its keys at `contentCol`. */
export function blockItem(h: OurHook, dashIndent: number, contentCol: number): string[] {
  const f = fields(h);
  const pad = ' '.repeat(Math.max(1, contentCol - dashIndent - 1));
  return f.map(([k, v], i) =>
    i === 0 ? `${' '.repeat(dashIndent)}-${pad}${k}: ${v}` : `${' '.repeat(contentCol)}${k}: ${v}`,
  );
}

/** A flow-style mapping: `{name: …, command: "…", enabled: true, fail_on_error: false}`. */
export function flowItem(h: OurHook): string {
  return `{${fields(h)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')}}`;
}
