import * as v from 'valibot';

/**
 * `.tapps-agents/hooks.yaml` as TappsCodingAgents validates it (pydantic models in
 * `tapps_agents/hooks/config.py`, `extra="forbid"` at both levels; tapps-data-formats.md 3.1).
 * A file the framework rejects makes every `tapps-agents` command exit with a traceback, so the
 * plugin checks every hooks.yaml it writes against these rules first.
 */

/** The only events the framework knows; any other key under `hooks:` is an error. */
export const HOOK_EVENTS = [
  'SessionStart',
  'SessionEnd',
  'UserPromptSubmit',
  'PostToolUse',
  'WorkflowComplete',
] as const;
export const HookEvent = v.picklist(HOOK_EVENTS);
export type HookEvent = v.InferOutput<typeof HookEvent>;

/** The only keys a hook definition may have. */
export const HOOK_KEYS = ['name', 'command', 'enabled', 'matcher', 'file_patterns', 'fail_on_error'] as const;

/** Strings pydantic's lax `bool` accepts besides true/false and 0/1 (compared case-insensitively). */
const TRUE_WORDS = ['1', 'on', 't', 'true', 'y', 'yes'];
const FALSE_WORDS = ['0', 'off', 'f', 'false', 'n', 'no'];

/** A pydantic `bool` field in lax mode, normalized to a boolean. */
export const PyBool = v.pipe(
  v.union(
    [
      v.boolean(),
      v.picklist([0, 1]),
      v.pipe(
        v.string(),
        v.check(
          (s) => TRUE_WORDS.includes(s.toLowerCase()) || FALSE_WORDS.includes(s.toLowerCase()),
          'a boolean (true or false)',
        ),
      ),
    ],
    'a boolean (true or false)',
  ),
  v.transform((x): boolean => (typeof x === 'string' ? TRUE_WORDS.includes(x.toLowerCase()) : Boolean(x))),
);

/** pydantic `str` (no coercion from numbers or booleans), `min_length=1` where required. */
const Text = v.string('a string (quote it if YAML reads it as a number, boolean or date)');
const NonEmpty = v.pipe(Text, v.minLength(1, 'a non-empty string'));

export const HookDefinition = v.strictObject(
  {
    name: NonEmpty,
    command: NonEmpty,
    enabled: v.optional(PyBool),
    matcher: v.optional(v.nullable(Text)),
    file_patterns: v.optional(v.nullable(v.array(Text))),
    fail_on_error: v.optional(PyBool),
  },
  `only the keys ${HOOK_KEYS.join(', ')} are allowed`,
);
export type HookDefinition = v.InferOutput<typeof HookDefinition>;

/** The root once it has a `hooks` key: then no other top-level key is allowed. */
export const HooksConfig = v.strictObject(
  {
    hooks: v.record(
      v.picklist(HOOK_EVENTS, `an event name (${HOOK_EVENTS.join(', ')})`),
      v.array(HookDefinition, 'a list of hook definitions'),
    ),
  },
  'only the key "hooks" is allowed at the top level next to it',
);
export type HooksConfig = v.InferOutput<typeof HooksConfig>;
