/**
 * One spelling for every name: the framework writes both `write_code` and `write-code`,
 * `enhance-prompt` and `enhance_prompt`; rollup keys must not split on that.
 */
export function normalizeName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/-{2,}/g, '-');
}

/** Capability key: `agent.action` (or just `agent` when the host names no action). */
export function capabilityKey(agent: string, action?: string): string {
  const a = normalizeName(agent);
  return action ? `${a}.${normalizeName(action)}` : a;
}
