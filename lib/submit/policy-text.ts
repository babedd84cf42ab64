import { PRIVACY_POLICY_VERSION } from '../../schema/export-v1.ts';

/**
 * The privacy policy a user approves, one text per version. A consent records the version it was
 * given under; when PRIVACY_POLICY_VERSION changes, every destination asks again (Nuxt's
 * consentVersion). Changing what is sent means a new version and a new text here.
 */
const POLICY_TEXTS: Readonly<Record<string, string>> = {
  '2026-11-1': `What is shared
  Only the anonymized rollups this plugin keeps for this project: per capability (agent.action)
  the counts of runs, successes, failures, skips and retries; duration and quality distributions
  (sketches, 1% relative error); weekly series (never days); error types from a fixed list;
  workflow types, expert domains and confidence; which framework stores exist. Names the framework
  ships stay readable; any other name is a keyed pseudonym (HMAC-SHA-256 with a 256-bit key that
  never leaves this machine), and so is the project id.
What is never shared
  Code, file paths or names, prompts, error messages or any free text, user, host or git names,
  e-mail addresses, git remotes, secrets, the pseudonym key, raw events (they are never stored).
Safeguards
  A cell built from fewer than k runs (k is at least 5) is left out. The privacy gate scans every
  string of the export, and of the bytes, before anything is written or sent, and refuses on any
  hit. A submission is at most 64 KB compressed. Nothing about your decision is ever sent.
Where it goes
  Only to the destination you approve now. Any other destination asks again; a run without a
  terminal (a script, CI) is refused instead. GitHub issues in a public repository are public.
What you can check
  \`tapps-agents learning submit --dry-run\` prints the exact bytes and their SHA-256 and sends
  nothing. Every submission is logged with the same SHA-256 in .tapps-agents/learning-plugin/
  receipts.jsonl (\`tapps-agents learning receipts\`).
Your controls
  \`tapps-agents learning consent revoke\` stops all sending, can delete the local data and ask a
  hub to delete what it received. DO_NOT_TRACK=1, TAPPS_LEARNING_DISABLED=1, or
  learning: { submit: false } in the project config turn sending off entirely.`,
};

export function policyText(version: string = PRIVACY_POLICY_VERSION): string | undefined {
  return Object.hasOwn(POLICY_TEXTS, version) ? POLICY_TEXTS[version] : undefined;
}

export function policyVersions(): string[] {
  return Object.keys(POLICY_TEXTS);
}

/** The text shown before a yes: title, version, and the policy. */
export function policyNotice(version: string = PRIVACY_POLICY_VERSION): string {
  const text = policyText(version);
  if (text === undefined)
    throw new Error(`internal error: no policy text for privacy policy version ${version}`);
  return `Sharing learning data with the TappsCodingAgents maintainers: privacy policy ${version}\n${text}`;
}
