import type { CommandContext } from '../../../hooks/command-registry.ts';
import { PRIVACY_POLICY_VERSION } from '../../../schema/export-v1.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { recordGrant } from '../../submit/approval.ts';
import { checkConsent, withoutGrants, withoutHubKey } from '../../submit/consent-record.ts';
import { type ConsentState, loadConsent, updateConsent } from '../../submit/consent-store.ts';
import { defaultDeps, type SubmitDeps } from '../../submit/deps.ts';
import {
  type Destination,
  DestinationError,
  describeDestination,
  destinationKey,
  leavesMachine,
  parseDestination,
} from '../../submit/destination.ts';
import { githubApiBase } from '../../submit/environment.ts';
import { requestDeletion } from '../../submit/hub-delete.ts';
import { killSwitch } from '../../submit/kill-switch.ts';
import { dropForDestinations, listOutbox } from '../../submit/outbox.ts';
import { policyNotice } from '../../submit/policy-text.ts';
import { readReceipts } from '../../submit/receipts.ts';
import { describeRestrictions, submitOptions } from '../../submit/restrictions.ts';
import { changedSinceStart } from '../../submit/startup-env.ts';
import { wipeLocalData, wipeTargets } from '../../submit/wipe.ts';
import { confirm, EXIT, isCi, isInteractive, say } from '../io.ts';
import { refusal, tamperMessage } from './submit.ts';

function parseTo(ctx: CommandContext, command: string): Destination | number {
  try {
    const to = typeof ctx.options.to === 'string' ? ctx.options.to : 'github';
    return parseDestination(to, { cwd: ctx.cwd, githubApiBase: githubApiBase(ctx.env), source: '--to' });
  } catch (error) {
    if (!(error instanceof DestinationError)) throw error;
    say(ctx, `${command}: ${error.message}`);
    return EXIT.usage;
  }
}

function recordNote(state: ConsentState): string | null {
  if (state.status !== 'foreign' && state.status !== 'unreadable') return null;
  return `the consent record ${state.path} is ignored: ${state.problem}. Nothing it says counts here.`;
}

/** What `learning consent status` does; its options and help are in ../commands/consent.ts. */
export async function runConsentStatus(rt: LearningRuntime, ctx: CommandContext): Promise<number> {
  const state = loadConsent(rt.projectRoot);
  const r = state.record;
  const off = killSwitch(ctx.env, {
    submitDisabledByConfig: rt.options.submitDisabledByConfig,
    configFile: rt.host.configFile,
  });
  const effective = submitOptions(rt.options, rt.host.config.learning?.submit);
  const restrictions = describeRestrictions(rt.host.config.learning, effective, rt.host.configFile);
  const outbox = listOutbox(rt.projectRoot).items;
  const receipts = readReceipts(rt.projectRoot).receipts;
  const status = {
    policyVersion: PRIVACY_POLICY_VERSION,
    consentFile: state.path,
    record: state.status,
    ...(state.status === 'foreign' || state.status === 'unreadable' ? { problem: state.problem } : {}),
    approved: r.grants.map((g) => ({ ...g, current: g.policyVersion === PRIVACY_POLICY_VERSION })),
    revoked: r.revocations.slice(-10),
    hubsHoldingData: r.hubs.map((h) => ({
      destination: h.destination,
      projectId: h.projectId,
      since: h.since,
    })),
    submission: off ? { allowed: false, refusedBy: off.setting, where: off.where } : { allowed: true },
    interactive: isInteractive(ctx),
    ci: isCi(ctx.env),
    config: { file: rt.host.configFile, restricts: restrictions.applied, ignored: restrictions.ignored },
    environmentChangedByConfig: changedSinceStart(ctx.env),
    outbox: outbox.map((i) => ({
      destination: i.entry.destination,
      exportId: i.entry.exportId,
      queuedAt: i.entry.queuedAt,
      attempts: i.entry.attempts,
    })),
    receipts: receipts.length,
  };
  if (ctx.options.json) {
    ctx.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    return EXIT.ok;
  }
  say(ctx, `learning data sharing for ${rt.projectRoot}`);
  say(ctx, `  privacy policy: ${PRIVACY_POLICY_VERSION}`);
  say(
    ctx,
    off
      ? `  submission: OFF: ${off.setting} in ${off.where} (wins over any consent)`
      : '  submission: allowed to the approved destinations below, nowhere else',
  );
  const note = recordNote(state);
  if (note) say(ctx, `  warning: ${note}`);
  if (r.grants.length === 0)
    say(
      ctx,
      '  approved destinations: none (nothing is sent; grant with: tapps-agents learning consent grant --to DEST)',
    );
  else say(ctx, '  approved destinations:');
  for (const g of status.approved) {
    const how = g.how === 'interactive' ? 'at a terminal prompt' : 'with --yes';
    const stale = g.current ? '' : ` (policy ${g.policyVersion} is outdated: the next submit asks again)`;
    say(
      ctx,
      `    ${g.destination}: approved ${g.grantedAt} ${how} (${g.via}), policy ${g.policyVersion}${stale}`,
    );
  }
  for (const x of status.revoked.slice(-3)) say(ctx, `  revoked: ${x.destination} on ${x.revokedAt}`);
  for (const h of status.hubsHoldingData)
    say(
      ctx,
      `  ${h.destination} holds submissions of project ${h.projectId} since ${h.since} (revoke can ask it to delete them)`,
    );
  if (restrictions.applied.length === 0 && restrictions.ignored.length === 0)
    say(ctx, `  project config: ${rt.host.configFile ?? 'none'}; it restricts nothing`);
  else
    say(
      ctx,
      `  project config ${rt.host.configFile ?? '(plugin options)'} restricts (it can only restrict):`,
    );
  for (const line of restrictions.applied) say(ctx, `    ${line}`);
  for (const line of restrictions.ignored) say(ctx, `    ignored: ${line}`);
  if (status.environmentChangedByConfig.length > 0)
    say(
      ctx,
      `  warning: ${status.environmentChangedByConfig.join(', ')} changed while the config loaded; submissions are refused`,
    );
  if (!status.interactive)
    say(
      ctx,
      `  this run has no terminal${status.ci ? ' (CI)' : ''}: a destination not approved is refused, never asked`,
    );
  say(
    ctx,
    `  outbox: ${outbox.length} waiting; receipts: ${receipts.length} (tapps-agents learning receipts)`,
  );
  return EXIT.ok;
}

/** What `learning consent grant` does; its options and help are in ../commands/consent.ts. */
export async function runConsentGrant(
  rt: LearningRuntime,
  ctx: CommandContext,
  deps: () => SubmitDeps = defaultDeps,
): Promise<number> {
  const command = 'learning consent grant';
  const refused = refusal(rt, ctx, command);
  if (refused !== undefined) return refused;
  const destination = parseTo(ctx, command);
  if (typeof destination === 'number') return destination;
  if (!leavesMachine(destination)) {
    say(ctx, `${command}: a bundle (file:) stays on this machine and needs no consent; nothing recorded`);
    return EXIT.ok;
  }
  const key = destinationKey(destination);
  const state = loadConsent(rt.projectRoot);
  const note = recordNote(state);
  if (note) say(ctx, `${command}: ${note} It will be set aside.`);
  const check = checkConsent(state.record, key, PRIVACY_POLICY_VERSION);
  if (check.ok) {
    say(
      ctx,
      `${key} is already approved (${check.grant.grantedAt}, policy ${check.grant.policyVersion}); nothing changed`,
    );
    return EXIT.ok;
  }
  say(ctx, policyNotice());
  say(ctx, `Destination: ${describeDestination(destination)}`);
  let how: 'interactive' | 'yes-flag';
  if (ctx.options.yes === true) how = 'yes-flag';
  else if (!isInteractive(ctx)) {
    say(
      ctx,
      `${command}: not approved: there is no terminal to ask (CI, a script or a pipe). Run it in a terminal, or pass --yes.`,
    );
    return EXIT.consent;
  } else if (await confirm(ctx, `Approve ${key} for this project?`)) how = 'interactive';
  else {
    say(ctx, `${command}: not approved; nothing was recorded and nothing was sent`);
    return EXIT.consent;
  }
  const now = deps().clock();
  await recordGrant(rt.projectRoot, key, how, 'consent grant', now);
  say(
    ctx,
    `approved ${key} under privacy policy ${PRIVACY_POLICY_VERSION} (${how === 'interactive' ? 'at the prompt' : 'with --yes'}). ` +
      'Nothing was sent. Preview with: tapps-agents learning submit --dry-run; send with: tapps-agents learning submit',
  );
  return EXIT.ok;
}

/** What `learning consent revoke` does; its options and help are in ../commands/consent.ts. */
export async function runConsentRevoke(
  rt: LearningRuntime,
  ctx: CommandContext,
  deps: () => SubmitDeps = defaultDeps,
): Promise<number> {
  const command = 'learning consent revoke';
  let only: string[] | null = null;
  if (typeof ctx.options.to === 'string') {
    const d = parseTo(ctx, command);
    if (typeof d === 'number') return d;
    only = [destinationKey(d)];
  }
  const state = loadConsent(rt.projectRoot);
  const note = recordNote(state);
  if (note) say(ctx, `${command}: ${note}`);
  const now = deps().clock();
  let code: number = EXIT.ok;

  const toRevoke = state.record.grants
    .filter((g) => only === null || only.includes(g.destination))
    .map((g) => g.destination);
  if (toRevoke.length > 0) {
    await updateConsent(rt.projectRoot, (r) => withoutGrants(r, only, now).record, now);
    say(
      ctx,
      `revoked: ${toRevoke.join(', ')}. Nothing more will be sent there, and nothing was sent about this.`,
    );
  } else say(ctx, `no consent on record${only ? ` for ${only[0]}` : ''}; nothing to revoke`);
  const dropped = dropForDestinations(rt.projectRoot, only);
  if (dropped > 0) say(ctx, `dropped ${dropped} queued submission(s) from the outbox`);

  const hubs = state.record.hubs.filter((h) => only === null || only.includes(h.destination));
  const changed = changedSinceStart(ctx.env);
  for (const h of hubs) {
    const ask = ctx.options.deleteRemote as boolean | undefined;
    const yes =
      ask ??
      (isInteractive(ctx) &&
        (await confirm(
          ctx,
          `Ask ${h.destination} to delete the submissions of this project (${h.projectId})?`,
        )));
    if (!yes) {
      say(
        ctx,
        `${h.destination} keeps what it received; to ask it to delete later: tapps-agents learning consent revoke --delete-remote`,
      );
      continue;
    }
    if (changed.length > 0) {
      say(
        ctx,
        tamperMessage(command, changed, rt.host.configFile).replace(
          'nothing was sent',
          'no deletion request was sent',
        ),
      );
      code = EXIT.consent;
      continue;
    }
    const out = await requestDeletion(h.destination, h.projectId, h.deletionToken, deps());
    if (out.kind === 'deleted' || out.kind === 'not-found') {
      await updateConsent(rt.projectRoot, (r) => withoutHubKey(r, h.destination, h.projectId), now);
      say(
        ctx,
        out.kind === 'deleted'
          ? `${h.destination} deleted the submissions of project ${h.projectId}`
          : `${h.destination} holds nothing for project ${h.projectId} (already deleted)`,
      );
    } else {
      code = EXIT.failed;
      const why =
        out.kind === 'refused'
          ? `refused (${out.status} ${out.type}): ${out.message}`
          : `could not be reached (${out.reason})`;
      say(
        ctx,
        `${command}: the deletion request to ${h.destination} ${why}. The deletion key was kept; try again with --delete-remote.`,
      );
    }
  }

  const targets = wipeTargets(rt.projectRoot);
  if (targets.length > 0) {
    const ask = ctx.options.wipe as boolean | undefined;
    const yes =
      ask ??
      (isInteractive(ctx) &&
        (await confirm(ctx, `Also delete the local learning data (${targets.join(', ')})?`)));
    if (yes) {
      const removed = await wipeLocalData(rt.projectRoot);
      rt.recorder.discard();
      rt.recorder.resetKey();
      say(
        ctx,
        `deleted the local learning data: ${removed.join(', ')} (exports you wrote yourself in .tapps-agents/exports were kept)`,
      );
    } else say(ctx, 'local learning data kept; to delete it: tapps-agents learning consent revoke --wipe');
  }
  return code;
}
