import type { LearningOptions } from '../../config/schema.ts';
import { DEFAULT_K, type ResolvedOptions } from '../options.ts';

/**
 * The options a submission is built with: the plugin's resolved options narrowed by
 * `learning.submit` of the committed config. Narrowing only: fewer sections, the larger k, the
 * smaller epsilon (more noise). Nothing in the config can widen what is sent.
 */
export function submitOptions(options: ResolvedOptions, submit: LearningOptions['submit']): ResolvedOptions {
  if (submit === undefined || submit === false) return options;
  const sections = submit.sections
    ? options.sections.filter((s) => submit.sections?.includes(s))
    : options.sections;
  const epsilon =
    submit.epsilon === undefined
      ? options.epsilon
      : options.epsilon === null
        ? submit.epsilon
        : Math.min(options.epsilon, submit.epsilon);
  return {
    ...options,
    sections,
    configExcludes: options.configExcludes.concat(options.sections.filter((s) => !sections.includes(s))),
    k: Math.max(options.k, submit.k ?? 0),
    epsilon,
  };
}

/** What the committed config does to submissions, one line each, for `consent status`. */
export function describeRestrictions(
  learning: LearningOptions | undefined,
  effective: ResolvedOptions,
  configFile: string | null,
): { applied: string[]; ignored: string[] } {
  const where = configFile ?? 'the project config';
  const applied: string[] = [];
  const ignored: string[] = [];
  if (learning?.submit === false)
    applied.push(`learning: { submit: false } in ${where}: submission is off for this project`);
  if (effective.configExcludes.length > 0)
    applied.push(
      `sections left out of every submission: ${[...new Set(effective.configExcludes)].join(', ')}`,
    );
  if (effective.k > DEFAULT_K)
    applied.push(`k raised to ${effective.k} (cells with fewer runs are left out)`);
  if (effective.epsilon !== null) applied.push(`Laplace noise on counts, epsilon ${effective.epsilon}`);
  if (effective.sensitiveTerms.length > 0)
    applied.push(
      `${effective.sensitiveTerms.length} sensitive term(s) the privacy gate refuses in any submission`,
    );
  const sub = learning?.submit === false ? undefined : learning?.submit;
  for (const [key, k] of [
    ['learning.k', learning?.k],
    ['learning.submit.k', sub?.k],
  ] as const) {
    if (k !== undefined && k < DEFAULT_K)
      ignored.push(`${key}: ${k} is below the minimum ${DEFAULT_K}; a committed config can only raise k`);
  }
  return { applied, ignored };
}
