import type { CommandSpec } from '../../../hooks/command-registry.ts';
import type { LearningRuntime } from '../../plugin.ts';
import type { SubmitDeps } from '../../submit/deps.ts';
import { PAYLOAD_CAP_BYTES } from '../../submit/payload-cap.ts';

export function submitCommand(rt: LearningRuntime, deps?: () => SubmitDeps): CommandSpec {
  return {
    path: ['learning', 'submit'],
    summary:
      'send the anonymized rollups to the maintainers (a bundle, a GitHub issue or a hub), with your consent',
    description:
      'Builds a fresh anonymized export (privacy gate, schema, gate again on the bytes), compresses it and hands it to the ' +
      'destination: file:PATH writes a bundle for manual upload; github[:OWNER/REPO] opens an issue (REST API with ' +
      'GITHUB_TOKEN, else a prefilled new-issue URL); an https:// URL posts to a learning hub, with retries and an ' +
      'offline outbox (--retry sends it). A destination that leaves this machine needs consent for that destination ' +
      '(learning consent grant). --dry-run prints the exact bytes and their SHA-256 and sends nothing. Every submission ' +
      'is logged with the same SHA-256 in .tapps-agents/learning-plugin/receipts.jsonl (learning receipts). ' +
      'Refused (exit 4) whenever DO_NOT_TRACK=1, TAPPS_LEARNING_DISABLED=1 or learning: { submit: false } is set.',
    example: 'tapps-agents learning submit --to https://hub.example.org --dry-run',
    options: [
      {
        flags: '--to <destination>',
        description:
          'file:PATH, github, github:OWNER/REPO, or https://HUB (default: the approved one, else github)',
      },
      { flags: '--dry-run', description: 'print the exact bytes (base64) and their SHA-256; send nothing' },
      {
        flags: '--yes',
        description: 'do not ask before sending to an approved destination (never approves a new one)',
      },
      {
        flags: '--format <format>',
        description: 'json or msgpack (both gzip-compressed)',
        default: 'json',
        choices: ['json', 'msgpack'],
      },
      { flags: '--retry', description: 'send the submissions waiting in the outbox (nothing new is built)' },
      { flags: '--exclude <sections>', description: 'comma-separated sections to leave out' },
      { flags: '--k <n>', description: 'raise the minimum runs behind a submitted cell' },
      {
        flags: '--max-bytes <n>',
        description: `lower the payload cap (default and maximum ${PAYLOAD_CAP_BYTES} bytes compressed)`,
      },
      {
        flags: '--attempts <n>',
        description: 'tries before a hub submission goes to the outbox (1-10, default 5)',
      },
      { flags: '--resend', description: 'send even if this exact export already reached this destination' },
      { flags: '--json', description: 'print the receipt as JSON on stdout' },
    ],
    async run(ctx) {
      const { runSubmit } = await import('../actions/submit.ts');
      return runSubmit(rt, ctx, deps);
    },
  };
}
