import type { LearningOptions, SectionName } from '../config/schema.ts';
import { SECTIONS } from './export/build.ts';

export const DEFAULT_K = 5;

export interface ResolvedOptions {
  enabled: boolean;
  k: number;
  epsilon: number | null;
  sections: readonly SectionName[];
  /** Sections the project's committed config removed (it may only restrict). */
  configExcludes: readonly SectionName[];
  timeZone: string | undefined;
  submitDisabledByConfig: boolean;
  /** Words the gate refuses in any export (`learning.sensitiveTerms`), de-duplicated. */
  sensitiveTerms: readonly string[];
}

/**
 * Plugin options from the project config (`learning: {…}`) and from code (`learningPlugin({…})`,
 * usually in the same committed file). Both are shared with everyone who clones the project, so
 * neither may make exports less private than the other or than the defaults: k is the largest
 * asked for (never below 5), epsilon the smallest (more noise), sections those both allow, and
 * sensitive terms the union. `enabled` and `timeZone` are plain settings: code wins.
 */
export function resolveOptions(
  fromConfig: LearningOptions | undefined,
  fromCode: LearningOptions | undefined,
): ResolvedOptions {
  const o = { ...fromConfig, ...fromCode };
  const both = [fromConfig, fromCode];
  const sections = SECTIONS.filter((s) =>
    both.every((x) => x?.sections === undefined || x.sections.includes(s)),
  );
  const epsilons = both.map((x) => x?.epsilon).filter((e): e is number => e !== undefined);
  const ks = both.map((x) => x?.k).filter((k): k is number => k !== undefined);
  return {
    enabled: o.enabled ?? true,
    k: Math.max(DEFAULT_K, ...ks),
    epsilon: epsilons.length > 0 ? Math.min(...epsilons) : null,
    sections,
    configExcludes: SECTIONS.filter((s) => !sections.includes(s)),
    timeZone: o.timeZone,
    submitDisabledByConfig: both.some((x) => x?.submit === false),
    sensitiveTerms: uniqueTerms(both.flatMap((x) => x?.sensitiveTerms ?? [])),
  };
}

/** One entry per term, whatever its case or surrounding space: the gate matches case-insensitively. */
function uniqueTerms(terms: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const t of terms) {
    const term = t.trim();
    const key = term.toLowerCase();
    if (term !== '' && !seen.has(key)) seen.set(key, term);
  }
  return [...seen.values()];
}
