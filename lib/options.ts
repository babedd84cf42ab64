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
}

/**
 * Plugin options from the project config and from code. The config is committed and shared, so it
 * may only make exports more private than the defaults: a smaller k is ignored, never applied.
 */
export function resolveOptions(fromConfig: LearningOptions | undefined, fromCode: LearningOptions | undefined): ResolvedOptions {
  const o = { ...fromConfig, ...fromCode };
  const sections = o.sections ? SECTIONS.filter((s) => o.sections?.includes(s)) : [...SECTIONS];
  return {
    enabled: o.enabled ?? true,
    k: Math.max(DEFAULT_K, o.k ?? DEFAULT_K),
    epsilon: o.epsilon ?? null,
    sections,
    configExcludes: SECTIONS.filter((s) => !sections.includes(s)),
    timeZone: o.timeZone,
    submitDisabledByConfig: o.submit === false,
  };
}
