import type { CommandContext } from '../../hooks/command-registry.ts';
import type { ConsentGrant } from '../../schema/consent.ts';
import { PRIVACY_POLICY_VERSION } from '../../schema/export-v1.ts';
import { confirm, isInteractive, say } from '../cli/io.ts';
import { type ConsentCheck, checkConsent, withGrant } from './consent-record.ts';
import { type ConsentState, updateConsent } from './consent-store.ts';
import {
  DEFAULT_GITHUB_API,
  type Destination,
  describeDestination,
  destinationArg,
  destinationKey,
  leavesMachine,
} from './destination.ts';
import { ENV_GITHUB_API } from './environment.ts';
import { policyNotice } from './policy-text.ts';

export type Approval = { ok: true; justGranted: boolean } | { ok: false; message: string };

type Io = Pick<CommandContext, 'stdin' | 'stderr' | 'env'>;

/** The command that approves a destination, as the user should type it. */
export function grantCommand(d: Destination): string {
  const env =
    d.kind === 'github' && d.apiBase !== DEFAULT_GITHUB_API ? `${ENV_GITHUB_API}=${d.apiBase} ` : '';
  return `${env}tapps-agents learning consent grant --to ${destinationArg(d)}`;
}

/** Why the record does not cover this destination, in the user's terms. */
export function consentGap(
  check: Exclude<ConsentCheck, { ok: true }>,
  key: string,
  source: string,
  state: ConsentState,
): string {
  const foreign =
    state.status === 'foreign' || state.status === 'unreadable'
      ? ` (the consent record ${state.path} is ignored: ${state.problem})`
      : '';
  switch (check.reason) {
    case 'no-consent':
      return `this project has not approved sending learning data anywhere${foreign}`;
    case 'other-destination':
      return `${key} (from ${source}) is not an approved destination; approved: ${check.approved.join(', ')}`;
    case 'policy-changed':
      return (
        `${key} was approved on ${check.grant?.grantedAt.slice(0, 10)} under privacy policy ${check.grant?.policyVersion}; ` +
        `the policy is now ${PRIVACY_POLICY_VERSION} and needs a new approval`
      );
  }
}

/**
 * Consent for one destination, bound to it. Approved: go on. Not approved: at a terminal, show the
 * policy and ask (default no) and record a yes; without a terminal (CI, scripts, pipes) never ask:
 * refuse, say why and the command that approves it. A bundle written here needs no consent.
 */
export async function ensureConsent(
  io: Io,
  o: {
    projectRoot: string;
    state: ConsentState;
    destination: Destination;
    source: string;
    command: string;
    now: Date;
  },
): Promise<Approval> {
  if (!leavesMachine(o.destination)) return { ok: true, justGranted: false };
  const key = destinationKey(o.destination);
  const check = checkConsent(o.state.record, key, PRIVACY_POLICY_VERSION);
  if (check.ok) return { ok: true, justGranted: false };
  const gap = consentGap(check, key, o.source, o.state);
  if (!isInteractive(io))
    return {
      ok: false,
      message:
        `${o.command}: refused: ${gap}. There is no terminal to ask (CI, a script or a pipe), so nothing was sent.\n` +
        `To approve this destination: ${grantCommand(o.destination)} (add --yes in a script)`,
    };
  say(io, `${o.command}: ${gap}.`);
  say(io, policyNotice());
  say(io, `Destination: ${describeDestination(o.destination)}`);
  if (!(await confirm(io, `Approve ${key} for this project and send now?`)))
    return { ok: false, message: `${o.command}: not approved; nothing was recorded and nothing was sent` };
  await recordGrant(o.projectRoot, key, 'interactive', 'submit', o.now);
  return { ok: true, justGranted: true };
}

export async function recordGrant(
  projectRoot: string,
  destination: string,
  how: ConsentGrant['how'],
  via: ConsentGrant['via'],
  now: Date,
): Promise<void> {
  await updateConsent(
    projectRoot,
    (r) =>
      withGrant(r, {
        destination,
        grantedAt: now.toISOString(),
        how,
        via,
        policyVersion: PRIVACY_POLICY_VERSION,
      }),
    now,
  );
}
