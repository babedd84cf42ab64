import { relative } from 'node:path';
import type { Receipt, ServerAnswer, Transport } from '../../schema/receipt.ts';
import { EXIT } from '../cli/io.ts';
import { withHubKey } from './consent-record.ts';
import { updateConsent } from './consent-store.ts';
import { deletionTokenFor } from './deletion-token.ts';
import type { SubmitDeps } from './deps.ts';
import { type Destination, destinationArg, destinationKey } from './destination.ts';
import { ENV_HUB_TOKEN, githubToken, hubToken } from './environment.ts';
import { enqueue, OutboxFullError } from './outbox.ts';
import type { Payload } from './payload.ts';
import { appendReceipt, earlierSubmissions, readReceipts } from './receipts.ts';
import { writeBundle } from './transport-file.ts';
import { createIssue } from './transport-github-api.ts';
import { prefillIssue } from './transport-github-url.ts';
import { postToHub } from './transport-http.ts';

export interface DeliverIo {
  say(text: string): void;
  /** The one machine-readable line of a result (an issue URL to open), for stdout. */
  result(text: string): void;
}

export interface Delivered {
  code: number;
  receipt?: Receipt;
  /** The hub could not be reached: the payload waits in the outbox. */
  queued?: boolean;
  /** Why it could not be delivered, when queued. */
  reason?: string;
}

export interface DeliverOptions {
  projectRoot: string;
  cwd: string;
  destination: Destination;
  payload: Payload;
  env: NodeJS.ProcessEnv;
  deps: SubmitDeps;
  command: string;
  /** Sending from the outbox: on failure the entry stays where it is instead of being queued again. */
  fromOutbox?: boolean;
}

/** Sends (or writes) one payload by its destination's transport, and records a receipt for what left. */
export async function deliver(io: DeliverIo, o: DeliverOptions): Promise<Delivered> {
  const d = o.destination;
  const key = destinationKey(d);
  const p = o.payload;
  const receipt = (transport: Transport, outcome: Receipt['outcome'], answer: ServerAnswer): Receipt => ({
    version: 1,
    at: o.deps.clock().toISOString(),
    destination: key,
    transport,
    outcome,
    bytes: p.bytes.byteLength,
    sha256: p.sha256,
    exportId: p.exportId,
    format: p.format,
    answer: o.fromOutbox ? { ...answer, fromOutbox: true } : answer,
  });
  const done = (r: Receipt): Delivered => {
    noteEarlier(io, o.projectRoot, r);
    appendReceipt(o.projectRoot, r);
    return { code: EXIT.ok, receipt: r };
  };

  if (d.kind === 'file') {
    let out: ReturnType<typeof writeBundle>;
    try {
      out = writeBundle(d.path, p);
    } catch (error) {
      io.say(`${o.command}: cannot write the bundle at ${d.path}: ${(error as Error).message}`);
      return { code: EXIT.io };
    }
    if (out.kind === 'refused') {
      io.say(`${o.command}: ${out.message}`);
      return { code: EXIT.usage };
    }
    io.say(
      `wrote the bundle ${show(o.cwd, out.path)} (${out.files.join(', ')}): ${p.bytes.byteLength} bytes, sha256 ${p.sha256}. ` +
        'Nothing was sent; upload it yourself (its README.txt says how).',
    );
    return done(receipt('file', 'written', { path: out.path }));
  }

  if (d.kind === 'github') {
    const token = githubToken(o.env);
    const target = { apiBase: d.apiBase, owner: d.owner, repo: d.repo };
    if (!token) {
      const out = prefillIssue(target, p, o.projectRoot);
      if (out.kind === 'too-large') {
        io.say(`${o.command}: ${out.message}`);
        return { code: EXIT.failed };
      }
      io.result(out.url);
      io.say(
        `No GITHUB_TOKEN: nothing was sent. Open the URL above (${out.url.length} characters) to file the issue yourself` +
          (out.inline
            ? '; the export is inside it.'
            : `, and attach ${show(o.cwd, out.attachment)} before you submit it (the export is too large for the URL).`) +
          ` The export was also written to ${show(o.cwd, out.attachment)}.`,
      );
      return done(receipt('github-url', 'prefilled', { path: out.attachment, urlLength: out.url.length }));
    }
    const out = await createIssue(target, token, p, o.deps);
    switch (out.kind) {
      case 'created':
        io.result(out.issueUrl);
        io.say(
          `created issue #${out.issueNumber} in ${d.owner}/${d.repo}: ${out.issueUrl} (${p.bytes.byteLength} bytes, sha256 ${p.sha256})`,
        );
        return done(
          receipt('github-api', 'accepted', {
            httpStatus: out.status,
            issueNumber: out.issueNumber,
            issueUrl: out.issueUrl,
            requestSha256: out.requestSha256,
          }),
        );
      case 'too-large':
        io.say(
          `${o.command}: ${out.message}. Send it as a bundle and attach that to an issue (--to file:learning.tar.gz), ` +
            'or make it smaller (--exclude SECTIONS, --k N).',
        );
        return { code: EXIT.failed };
      case 'rejected':
        io.say(`${o.command}: ${out.message}. Nothing was created.`);
        return { code: EXIT.failed };
      case 'unreachable':
        io.say(
          `${o.command}: GitHub could not be reached after ${out.attempts} attempt(s) (${out.reason}). ` +
            'Try again later, or run without GITHUB_TOKEN to get a prefilled issue URL.',
        );
        return { code: EXIT.failed };
    }
  }

  const projectId = p.doc.metadata.projectId;
  const ownToken = /^p_[0-9a-f]{16}$/.test(projectId)
    ? deletionTokenFor(o.projectRoot, key, projectId)
    : undefined;
  const bearer = hubToken(o.env);
  const out = await postToHub(d.base, p, o.deps, {
    ...(ownToken ? { 'deletion-token': ownToken } : {}),
    ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
  });
  switch (out.kind) {
    case 'accepted': {
      const duplicate = out.answer?.duplicate === true;
      const answer: ServerAnswer = { httpStatus: out.status };
      if (out.answer) {
        answer.receivedAt = out.answer.receivedAt.slice(0, 200);
        answer.duplicate = duplicate;
      }
      if (out.problem) {
        answer.problem = out.problem;
        io.say(`${o.command}: warning: the hub took the submission, but ${out.problem}`);
      }
      const token = out.answer?.deletionToken ?? ownToken;
      if (token) {
        const since = o.deps.clock().toISOString();
        const fromHub = out.answer?.deletionToken !== undefined;
        await updateConsent(
          o.projectRoot,
          (r) => withHubKey(r, { destination: key, projectId, deletionToken: token, since }, fromHub),
          o.deps.clock(),
        );
      }
      io.say(
        duplicate
          ? `the hub at ${d.base} already had this export (exportId ${p.exportId.slice(0, 12)}…, first received ${answer.receivedAt ?? '?'}); it counts once`
          : `sent to ${d.base}: ${p.bytes.byteLength} bytes, sha256 ${p.sha256}, exportId ${p.exportId.slice(0, 12)}…`,
      );
      return done(receipt('http', duplicate ? 'duplicate' : 'accepted', answer));
    }
    case 'rejected': {
      const hint =
        out.status === 401
          ? ` (a hub that needs a submission token reads it from ${ENV_HUB_TOKEN}${bearer ? ', which it did not accept' : ''})`
          : '';
      io.say(
        `${o.command}: the hub at ${d.base} refused the submission (${out.status} ${out.type}): ${out.message}${hint}`,
      );
      return { code: EXIT.failed };
    }
    case 'unreachable': {
      const why = `${out.reason} after ${out.attempts} attempt(s)`;
      if (o.fromOutbox) return { code: EXIT.failed, queued: true, reason: why };
      try {
        enqueue(o.projectRoot, key, p, why, o.deps.clock());
      } catch (error) {
        if (error instanceof OutboxFullError) {
          io.say(`${o.command}: the hub at ${d.base} could not be reached (${why}), and ${error.message}.`);
          return { code: EXIT.failed };
        }
        throw error;
      }
      io.say(
        `${o.command}: the hub at ${d.base} could not be reached (${why}). The submission (sha256 ${p.sha256}) waits in the outbox; ` +
          `send it later with: tapps-agents learning submit --retry${d.kind === 'http' ? ` --to ${destinationArg(d)}` : ''}`,
      );
      return { code: EXIT.failed, queued: true, reason: why };
    }
  }
}

/** The ledger remembers every transport: the same exportId seen before is said out loud. */
function noteEarlier(io: DeliverIo, projectRoot: string, r: Receipt): void {
  const earlier = earlierSubmissions(readReceipts(projectRoot).receipts, r.exportId);
  if (earlier.length === 0) return;
  const list = earlier
    .slice(-3)
    .map((e) => `${e.at.slice(0, 16).replace('T', ' ')} to ${e.destination} (${e.outcome})`)
    .join('; ');
  io.say(
    `note: this export (exportId ${r.exportId.slice(0, 12)}…) was handed over before: ${list}. Maintainers count it once.`,
  );
}

function show(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}
