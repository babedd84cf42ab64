import { capabilityKey } from '../privacy/names.ts';
import { capabilityLabel } from '../privacy/observe.ts';
import type { Pseudonymize } from '../privacy/pseudonym.ts';

/**
 * The rollup label a user means by `--capability`: the label itself, the same name in another
 * spelling (`Reviewer review`, `reviewer_review.x`), or a custom name the rollup holds as a keyed
 * pseudonym (found with the project's own key, when it has one). Null when none matches.
 */
export function resolveCapability(
  input: string,
  known: readonly string[],
  pseudonymize: Pseudonymize | null,
): string | null {
  const raw = input.trim();
  if (raw === '') return null;
  if (known.includes(raw)) return raw;
  const m = /^([^.\s]+)(?:[.\s]+(.+))?$/.exec(raw);
  if (!m) return null;
  const agent = m[1] as string;
  const action = m[2];
  const key = capabilityKey(agent, action);
  if (known.includes(key)) return key;
  if (pseudonymize) {
    const label = capabilityLabel(agent, action, pseudonymize);
    if (known.includes(label)) return label;
  }
  return null;
}
