import type { SectionName } from '../../../config/schema.ts';
import type { CommandContext } from '../../../hooks/command-registry.ts';
import { GateRefusedError } from '../../export/produce.ts';
import type { LearningRuntime } from '../../plugin.ts';
import { formatGateRefusal } from '../../privacy/gate.ts';
import { loadState } from '../../rollup/state-file.ts';
import { ensureConsent } from '../../submit/approval.ts';
import { loadConsent } from '../../submit/consent-store.ts';
import { type DeliverIo, deliver } from '../../submit/deliver.ts';
import { defaultDeps, type SubmitDeps } from '../../submit/deps.ts';
import {
  DestinationError,
  destinationKey,
  leavesMachine,
  parseDestination,
} from '../../submit/destination.ts';
import { drainOutbox } from '../../submit/drain.ts';
import { dryRunText } from '../../submit/dry-run.ts';
import { githubApiBase } from '../../submit/environment.ts';
import { killSwitch, killSwitchMessage } from '../../submit/kill-switch.ts';
import { buildPayload, type Payload } from '../../submit/payload.ts';
import { capProblem, PAYLOAD_CAP_BYTES } from '../../submit/payload-cap.ts';
import { alreadyDelivered, readReceipts } from '../../submit/receipts.ts';
import { resolveDestination } from '../../submit/resolve-destination.ts';
import { submitOptions } from '../../submit/restrictions.ts';
import { changedSinceStart } from '../../submit/startup-env.ts';
import { confirm, EXIT, isInteractive, say } from '../io.ts';
import { parseSections } from './export.ts';

const COMMAND = 'learning submit';

interface Flags {
  to: string | undefined;
  dryRun: boolean;
  yes: boolean;
  retry: boolean;
  resend: boolean;
  json: boolean;
  format: 'json' | 'msgpack';
  exclude: SectionName[];
  k: number | undefined;
  maxBytes: number;
  attempts: number;
}

/** What `learning submit` does; its options and help are in ../commands/submit.ts. */
export async function runSubmit(
  rt: LearningRuntime,
  ctx: CommandContext,
  deps: () => SubmitDeps = defaultDeps,
): Promise<number> {
  const flags = parseFlags(ctx);
  if (flags instanceof Error) {
    say(ctx, `${COMMAND}: ${flags.message}`);
    return EXIT.usage;
  }
  const base = deps();
  const d: SubmitDeps = { ...base, retry: { ...base.retry, maxAttempts: flags.attempts } };
  const io: DeliverIo = {
    say: (t) => say(ctx, t),
    result: (t) => {
      if (!flags.json) ctx.stdout.write(`${t}\n`);
    },
  };
  let apiBase: string;
  try {
    apiBase = githubApiBase(ctx.env);
  } catch (error) {
    say(ctx, `${COMMAND}: ${(error as Error).message}`);
    return EXIT.usage;
  }

  // The refusals come first, before anything is built, read from the network or asked.
  if (!flags.dryRun) {
    const refused = refusal(rt, ctx, COMMAND);
    if (refused !== undefined) return refused;
  }
  const consent = loadConsent(rt.projectRoot);

  if (flags.retry) {
    if (flags.dryRun) {
      say(ctx, `${COMMAND}: --retry sends what is queued; it cannot be combined with --dry-run`);
      return EXIT.usage;
    }
    let only: string | undefined;
    try {
      only =
        flags.to === undefined
          ? undefined
          : destinationKey(
              parseDestination(flags.to, { cwd: ctx.cwd, githubApiBase: apiBase, source: '--to' }),
            );
    } catch (error) {
      say(ctx, `${COMMAND}: ${(error as Error).message}`);
      return EXIT.usage;
    }
    return drainOutbox(io, {
      projectRoot: rt.projectRoot,
      cwd: ctx.cwd,
      env: ctx.env,
      deps: d,
      consent,
      command: COMMAND,
      ...(only === undefined ? {} : { only }),
    });
  }

  let resolved: ReturnType<typeof resolveDestination>;
  try {
    resolved = resolveDestination({
      flag: flags.to,
      env: ctx.env,
      record: consent.record,
      cwd: ctx.cwd,
      githubApiBase: apiBase,
    });
  } catch (error) {
    if (!(error instanceof DestinationError)) throw error;
    say(ctx, `${COMMAND}: ${error.message}`);
    return EXIT.usage;
  }
  const destination = resolved.destination;
  const key = destinationKey(destination);

  let justGranted = false;
  if (!flags.dryRun) {
    const approval = await ensureConsent(ctx, {
      projectRoot: rt.projectRoot,
      state: consent,
      destination,
      source: resolved.source,
      command: COMMAND,
      now: d.clock(),
    });
    if (!approval.ok) {
      say(ctx, approval.message);
      return EXIT.consent;
    }
    justGranted = approval.justGranted;
  }

  let payload: Payload;
  try {
    const { state } = loadState(rt.projectRoot);
    payload = await buildPayload(state, {
      now: exportTime(state.updatedAt, d.clock()),
      projectId: rt.recorder.projectId(),
      projectRoot: rt.projectRoot,
      options: submitOptions(rt.options, rt.host.config.learning?.submit),
      exclude: flags.exclude,
      ...(flags.k === undefined ? {} : { k: flags.k }),
      format: flags.format,
      ...(d.identity === undefined ? {} : { identity: d.identity }),
    });
  } catch (error) {
    if (error instanceof GateRefusedError) {
      say(ctx, formatGateRefusal(error.report));
      return EXIT.gate;
    }
    throw error;
  }
  const tooBig = capProblem(payload.doc, payload.bytes.byteLength, flags.maxBytes);

  if (flags.dryRun) {
    ctx.stdout.write(dryRunText(destination, payload));
    say(
      ctx,
      `dry run: nothing was sent. ${payload.bytes.byteLength} bytes (${payload.format} + gzip), sha256 ${payload.sha256}, ` +
        `exportId ${payload.exportId}, ${payload.doc.totals.tasks} tasks; ${payload.scannedStrings} strings passed the privacy gate.`,
    );
    if (tooBig) say(ctx, `${COMMAND}: a real submission would be refused: ${tooBig}`);
    say(ctx, wouldHappen(ctx, rt, consent, destination, resolved.source));
    return EXIT.ok;
  }
  if (tooBig) {
    say(ctx, `${COMMAND}: refused: ${tooBig} Nothing was sent.`);
    return EXIT.failed;
  }
  const t = payload.doc.totals;
  if (t.tasks + t.workflowRuns + t.consultations === 0) {
    say(
      ctx,
      `${COMMAND}: nothing to submit yet: no task, workflow or consultation is recorded (run: tapps-agents learning collect)`,
    );
    return EXIT.failed;
  }

  const earlier = alreadyDelivered(readReceipts(rt.projectRoot).receipts, payload.exportId, key);
  if (earlier && !flags.resend) {
    say(
      ctx,
      `${COMMAND}: this export (exportId ${payload.exportId.slice(0, 12)}…) already reached ${key} on ${earlier.at.slice(0, 10)}; ` +
        'nothing new to send (the data has not changed since). Pass --resend to send it again.',
    );
    return EXIT.ok;
  }

  if (leavesMachine(destination) && !justGranted && !flags.yes) {
    const summary = `${payload.bytes.byteLength} bytes (${payload.doc.totals.tasks} tasks, sha256 ${payload.sha256.slice(0, 16)}…) to ${key}`;
    if (!isInteractive(ctx)) {
      say(
        ctx,
        `${COMMAND}: not sent: would send ${summary}, but there is no terminal to confirm. Pass --yes to send without asking.`,
      );
      return EXIT.consent;
    }
    if (!(await confirm(ctx, `Send ${summary}? (preview the bytes with --dry-run)`))) {
      say(ctx, `${COMMAND}: not confirmed; nothing was sent`);
      return EXIT.consent;
    }
  }

  const result = await deliver(io, {
    projectRoot: rt.projectRoot,
    cwd: ctx.cwd,
    destination,
    payload,
    env: ctx.env,
    deps: d,
    command: COMMAND,
  });
  if (flags.json && result.receipt) ctx.stdout.write(`${JSON.stringify(result.receipt)}\n`);
  return result.code;
}

/**
 * A submission's createdAt is the time its rollups were last updated, not the time of the run: the
 * same data then gives the same bytes, so the hash a dry run prints is the hash a later real
 * submission records, unless new data arrived in between (and then the exportId differs too).
 */
export function exportTime(updatedAt: string, fallback: Date): Date {
  const t = Date.parse(updatedAt);
  return Number.isNaN(t) ? fallback : new Date(t);
}

function parseFlags(ctx: CommandContext): Flags | Error {
  const o = ctx.options;
  const exclude = parseSections(o.exclude);
  if (exclude instanceof Error) return new Error(`--exclude: ${exclude.message}`);
  const int = (name: string, value: unknown, min: number, max: number): number | Error | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    return Number.isInteger(n) && n >= min && n <= max
      ? n
      : new Error(`${name} must be a whole number from ${min} to ${max}`);
  };
  const k = int('--k', o.k, 1, 1000);
  if (k instanceof Error) return k;
  const maxBytes = int('--max-bytes', o.maxBytes, 1024, PAYLOAD_CAP_BYTES);
  if (maxBytes instanceof Error) return maxBytes;
  const attempts = int('--attempts', o.attempts, 1, 10);
  if (attempts instanceof Error) return attempts;
  return {
    to: typeof o.to === 'string' ? o.to : undefined,
    dryRun: o.dryRun === true,
    yes: o.yes === true,
    retry: o.retry === true,
    resend: o.resend === true,
    json: o.json === true,
    format: o.format === 'msgpack' ? 'msgpack' : 'json',
    exclude,
    k,
    maxBytes: maxBytes ?? PAYLOAD_CAP_BYTES,
    attempts: attempts ?? 5,
  };
}

/** A config (or a module it imports) changed the environment: it may restrict, never enable or redirect. */
/**
 * The refusals that come before anything is built, read from the network or asked: the kill
 * switches, then environment changed while the project config loaded. The exit code, or undefined.
 */
export function refusal(rt: LearningRuntime, ctx: CommandContext, command: string): number | undefined {
  const off = killSwitch(ctx.env, {
    submitDisabledByConfig: rt.options.submitDisabledByConfig,
    configFile: rt.host.configFile,
  });
  if (off) {
    say(ctx, killSwitchMessage(command, off));
    return EXIT.consent;
  }
  const changed = changedSinceStart(ctx.env);
  if (changed.length > 0) {
    say(ctx, tamperMessage(command, changed, rt.host.configFile));
    return EXIT.consent;
  }
  return undefined;
}

export function tamperMessage(
  command: string,
  changed: readonly string[],
  configFile: string | null,
): string {
  return (
    `${command}: refused: ${changed.join(', ')} changed while ${configFile ?? 'the project config'} was loading. ` +
    'A committed config, or a module it imports, may restrict submission but never enable or redirect it, so nothing was sent. ' +
    'If you set this yourself, set it in your shell before running tapps-agents.'
  );
}

/** For a dry run: what a real run would do now, so the preview also previews the decision. */
function wouldHappen(
  ctx: CommandContext,
  rt: LearningRuntime,
  consent: ReturnType<typeof loadConsent>,
  destination: Parameters<typeof destinationKey>[0],
  source: string,
): string {
  const off = killSwitch(ctx.env, {
    submitDisabledByConfig: rt.options.submitDisabledByConfig,
    configFile: rt.host.configFile,
  });
  if (off) return `A real submit would be refused: ${off.setting} in ${off.where}.`;
  if (!leavesMachine(destination))
    return `A real submit would write the bundle to ${destinationKey(destination).slice(5)}.`;
  const approved = consent.record.grants.some((g) => g.destination === destinationKey(destination));
  return approved
    ? `${destinationKey(destination)} (from ${source}) is approved; a real submit now would send these exact bytes.`
    : `${destinationKey(destination)} (from ${source}) is not approved: a real submit would ask at a terminal, and refuse without one.`;
}
