import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';
import type { SubmitDeps } from '../../submit/deps.ts';

/** `learning consent status|grant|revoke`: the user's own, local decision about sending (issue 6, issue 10). */
export function consentCommands(rt: LearningRuntime, deps?: () => SubmitDeps): CommandSpec[] {
  return [consentStatusCommand(rt), consentGrantCommand(rt, deps), consentRevokeCommand(rt, deps)];
}

export function consentStatusCommand(rt: LearningRuntime): CommandSpec {
  return {
    path: ['learning', 'consent', 'status'],
    summary:
      'show what this project approved: policy version, destinations (when, how), and what the config restricts',
    example: 'tapps-agents learning consent status --json',
    options: [{ flags: '--json', description: 'print the status as JSON on stdout' }],
    async run(ctx) {
      const { runConsentStatus } = await import('../actions/consent.ts');
      return runConsentStatus(rt, ctx);
    },
  };
}

export function consentGrantCommand(rt: LearningRuntime, deps?: () => SubmitDeps): CommandSpec {
  return {
    path: ['learning', 'consent', 'grant'],
    summary:
      'approve sending this project’s anonymized rollups to one destination (shows the privacy policy)',
    description:
      'Records, in .tapps-agents/learning-plugin/consent.json (local, never committed), that you approve this destination ' +
      'under the current privacy policy. Nothing is sent by granting. Another destination, or a new policy version, asks ' +
      'again. Without a terminal, --yes is required (and is recorded as such).',
    example: 'tapps-agents learning consent grant --to https://hub.example.org',
    options: [
      { flags: '--to <destination>', description: 'github (default), github:OWNER/REPO, or https://HUB' },
      {
        flags: '--yes',
        description: 'approve without a prompt (for scripts); recorded with the policy version',
      },
    ],
    async run(ctx) {
      const { runConsentGrant } = await import('../actions/consent.ts');
      return runConsentGrant(rt, ctx, deps);
    },
  };
}

export function consentRevokeCommand(rt: LearningRuntime, deps?: () => SubmitDeps): CommandSpec {
  return {
    path: ['learning', 'consent', 'revoke'],
    summary:
      'withdraw consent (all destinations, or one); optionally delete local data and ask a hub to delete',
    description:
      'Removes the approvals and drops queued submissions for them. Nothing else is sent: no event about the decision. ' +
      'At a terminal it offers to delete the local learning data and, for each hub that returned a deletion key, ' +
      'to ask it to delete what it holds for this project; in scripts use --wipe and --delete-remote.',
    example: 'tapps-agents learning consent revoke --wipe --delete-remote',
    options: [
      { flags: '--to <destination>', description: 'revoke only this destination' },
      {
        flags: '--wipe',
        description: 'also delete the local learning data (rollups, key, outbox, receipts, log)',
      },
      { flags: '--no-wipe', description: 'keep the local data without asking' },
      {
        flags: '--delete-remote',
        description: 'ask each hub that holds submissions of this project to delete them',
      },
      { flags: '--no-delete-remote', description: 'do not ask the hubs, and do not ask me' },
    ],
    async run(ctx) {
      const { runConsentRevoke } = await import('../actions/consent.ts');
      return runConsentRevoke(rt, ctx, deps);
    },
  };
}
