import { utimesSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { findProjectRoot } from '../../config/project-root.ts';
import { fingerprintPath, unchangedFingerprint } from '../collect/fingerprint-file.ts';
import { COLLECT_SPEC, waitSeconds } from './commands/collect.ts';
import { plainCall } from './plain-args.ts';

export interface QuickIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: Writable;
  stderr: Writable;
}

const COLLECT = COLLECT_SPEC.path.join(' ');

/**
 * `learning collect` when nothing is new, answered from the fingerprint the last collection left
 * (lib/collect/fingerprint-file.ts) before the config, the host and the readers load: they were
 * two thirds of such a process. It prints what that collection printed, or for `--detach` returns
 * without starting a child that would find nothing either, and dates the check for `learning
 * status`. Undefined means "collect the long way": other arguments, no fingerprint, or anything
 * changed, unreadable or unexpected. Loads node built-ins and a few small modules, never throws.
 */
export async function quickCollect(argv: readonly string[], io: QuickIo): Promise<number | undefined> {
  let options: Record<string, unknown>;
  let root: string;
  let fp: NonNullable<ReturnType<typeof unchangedFingerprint>>;
  try {
    const call = plainCall({ get: (p) => (p.join(' ') === COLLECT ? COLLECT_SPEC : undefined) }, argv);
    // A bad --wait is the long way's usage error to report.
    if (!call || waitSeconds(call.options) === undefined) return undefined;
    options = call.options;
    root = findProjectRoot(io.cwd);
    const found = unchangedFingerprint(root, io.cwd, io.env, Date.now());
    if (!found) return undefined;
    fp = found;
    const now = new Date();
    utimesSync(fingerprintPath(root), now, now);
  } catch {
    return undefined;
  }
  // Nothing is new: from here on that is the answer, whatever the streams do.
  try {
    if (options.detach) return 0;
    if (options.background) {
      // Only here: the log and its line cost a quick check that prints nothing.
      const [{ appendLog }, { logText }] = await Promise.all([
        import('../files/log.ts'),
        import('./actions/collect-report.ts'),
      ]);
      appendLog(root, 'info', logText(String(options.trigger), 0));
    } else {
      if (options.json) io.stdout.write(fp.json);
      io.stderr.write(fp.report);
    }
  } catch {
    // A stream closed under us: nothing more to say.
  }
  return 0;
}
