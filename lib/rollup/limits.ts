/**
 * Bounded label cardinality: a project cannot grow its state (or an export) without limit by
 * inventing names; past a cap new labels share the `__other__` bucket, and the overflow is counted.
 */
export const OTHER = '__other__';

export const LIMITS = {
  capabilities: 64,
  workflows: 32,
  experts: 32,
  health: 32,
  errors: 16,
  security: 32,
  patterns: 16,
  decisions: 16,
  languages: 24,
  subScores: 16,
  expertsPerDomain: 16,
  selectionReasons: 8,
  askedBy: 32,
  stepFailures: 16,
} as const;

/** The key to use for `label` in `map`: itself if present or there is room, else `__other__`. */
export function boundedKey(map: Record<string, unknown>, label: string, cap: number): string {
  if (Object.hasOwn(map, label)) return label;
  let size = 0;
  for (const k in map) if (k !== OTHER) size++;
  return size < cap ? label : OTHER;
}
