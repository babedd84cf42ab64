import { basename } from 'node:path';
import { defaultExportPath, writeNew } from '../cli/commands/export.ts';
import { extensionFor } from '../export/serialize.ts';
import { githubWebBase } from './destination.ts';
import { prefilledIssue } from './github-issue.ts';
import type { Payload } from './payload.ts';
import type { GithubTarget } from './transport-github-api.ts';

export type PrefilledOutcome =
  | { kind: 'prefilled'; url: string; inline: boolean; attachment: string }
  | { kind: 'too-large'; message: string };

/**
 * Without a token nothing is sent: the payload is written to a file, and a new-issue URL with
 * title, label and summary (and the payload itself when it fits) is printed for the user to open.
 */
export function prefillIssue(target: GithubTarget, payload: Payload, projectRoot: string): PrefilledOutcome {
  const m = payload.doc.metadata;
  const path = defaultExportPath(
    projectRoot,
    m.createdAt,
    m.exportId,
    extensionFor({ format: payload.format, gzip: true }),
  );
  const issue = prefilledIssue(
    githubWebBase(target.apiBase),
    target.owner,
    target.repo,
    payload.doc,
    payload,
    basename(path),
  );
  if (!issue)
    return {
      kind: 'too-large',
      message: 'even without the payload, the issue summary does not fit a new-issue URL',
    };
  const attachment = writeNew(path, payload.bytes);
  // writeNew may have picked `-2`: the URL must name the file that exists.
  const final =
    attachment === path
      ? issue
      : prefilledIssue(
          githubWebBase(target.apiBase),
          target.owner,
          target.repo,
          payload.doc,
          payload,
          basename(attachment),
        );
  if (!final) return { kind: 'too-large', message: 'the issue summary does not fit a new-issue URL' };
  return { kind: 'prefilled', url: final.url, inline: final.inline, attachment };
}
