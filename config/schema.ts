import * as v from 'valibot';
import { isPlugin, type Plugin } from '../hooks/plugin.ts';

export const SECTION_NAMES = [
  'capabilities',
  'workflows',
  'experts',
  'patterns',
  'decisions',
  'security',
  'failures',
  'effectiveness',
  'health',
] as const;
export const SectionName = v.picklist(SECTION_NAMES);

/**
 * What a committed config may say about submission. It can only restrict (issue 10): turn it off,
 * drop sections, raise k, add noise. Destinations and consent live in the user's local state.
 */
export const SubmitRestrictions = v.union(
  [
    v.literal(false),
    v.strictObject({
      sections: v.optional(v.array(SectionName)),
      k: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
      epsilon: v.optional(v.pipe(v.number(), v.gtValue(0), v.maxValue(100))),
    }),
  ],
  'may only turn submission off (false) or narrow it ({ sections, k, epsilon }); whether and where to send is ' +
    "each user's own choice (tapps-agents learning consent grant), never the committed config's",
);

export const LearningOptions = v.strictObject({
  /** Collect and keep rollups (default true). */
  enabled: v.optional(v.boolean()),
  /** Minimum runs behind an exported cell (default 5). */
  k: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
  /** Laplace noise for exported counts; unset = no noise. */
  epsilon: v.optional(v.pipe(v.number(), v.gtValue(0), v.maxValue(100))),
  /** Sections an export carries (default: all). */
  sections: v.optional(v.array(SectionName)),
  submit: v.optional(SubmitRestrictions),
  /** IANA zone of the framework's naive local timestamps (default: this machine's zone). */
  timeZone: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
  /**
   * Words no export may contain: customer, product and code names no pattern can know. The privacy
   * gate refuses any export that carries one; it only restricts, so a committed config may set it.
   */
  sensitiveTerms: v.optional(
    v.pipe(
      v.array(
        v.pipe(
          v.string(),
          v.trim(),
          v.minLength(3, 'a sensitive term needs at least 3 characters'),
          v.maxLength(128, 'a sensitive term may have at most 128 characters'),
          v.regex(/[\p{L}\p{N}]{2}/u, 'a sensitive term needs at least two letters or digits in a row'),
        ),
      ),
      v.maxLength(256, 'at most 256 sensitive terms'),
    ),
  ),
});

const PluginEntry = v.union([
  v.custom<Plugin>(isPlugin, 'a plugin object ({ name, apply(host) })'),
  v.pipe(v.string(), v.minLength(1)),
  v.tuple([v.pipe(v.string(), v.minLength(1)), v.unknown()]),
]);

export const ConfigSchema = v.strictObject({
  /** Plugins in the order they are applied: objects, module names, or [module name, options]. */
  plugins: v.optional(v.array(PluginEntry)),
  learning: v.optional(LearningOptions),
  framework: v.optional(
    v.strictObject({
      /** Command that runs the framework's own CLI, e.g. ['python', '-m', 'tapps_agents.cli']. */
      command: v.optional(v.array(v.pipe(v.string(), v.minLength(1)))),
    }),
  ),
});

export type ConfigInput = v.InferInput<typeof ConfigSchema>;
export type ResolvedConfig = v.InferOutput<typeof ConfigSchema>;
export type LearningOptions = v.InferOutput<typeof LearningOptions>;
export type SectionName = v.InferOutput<typeof SectionName>;
export type PluginEntry = v.InferOutput<typeof PluginEntry>;
