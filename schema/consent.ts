import * as v from 'valibot';

/**
 * The local consent record, `.tapps-agents/learning-plugin/consent.json` (gitignored, mode 0600).
 * Only the user's own commands write it; a committed config can never grant or redirect (issue 10).
 * Consent is per destination and per privacy-policy version: a new destination or a new policy asks again.
 */

const isoTime = v.pipe(v.string(), v.maxLength(40), v.isoTimestamp());
const hex64 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const policyVersion = v.pipe(v.string(), v.minLength(1), v.maxLength(32));

/** A destination's canonical key (lib/submit/destination.ts destinationKey). */
export const DestinationKey = v.pipe(v.string(), v.minLength(1), v.maxLength(2100));

/** How the user said yes: at a terminal prompt, or with `--yes` in a script. */
export const ApprovalMethod = v.picklist(['interactive', 'yes-flag']);

export const ConsentGrant = v.strictObject({
  destination: DestinationKey,
  grantedAt: isoTime,
  how: ApprovalMethod,
  /** The command that asked: `learning consent grant`, or the prompt of `learning submit`. */
  via: v.picklist(['consent grant', 'submit']),
  policyVersion,
});

export const ConsentRevocation = v.strictObject({
  destination: DestinationKey,
  revokedAt: isoTime,
});

/** What a hub returned at the first submission of a project: the key to ask it to delete that project. */
export const HubDeletionKey = v.strictObject({
  destination: DestinationKey,
  projectId: v.pipe(v.string(), v.regex(/^p_[0-9a-f]{16}$/)),
  deletionToken: v.pipe(v.string(), v.minLength(1), v.maxLength(512), v.regex(/^[\x21-\x7e]+$/)),
  since: isoTime,
});

export const ConsentRecord = v.strictObject({
  version: v.literal(1),
  /**
   * Hash of the identity of this project's local plugin folder (lib/submit/consent-binding.ts). A
   * record copied from elsewhere, or committed into a repository and cloned, does not match it and
   * is ignored, so a repository cannot ship a consent that its users never gave.
   */
  binding: hex64,
  grants: v.pipe(v.array(ConsentGrant), v.maxLength(64)),
  revocations: v.pipe(v.array(ConsentRevocation), v.maxLength(64)),
  hubs: v.pipe(v.array(HubDeletionKey), v.maxLength(64)),
});

export type ApprovalMethod = v.InferOutput<typeof ApprovalMethod>;
export type ConsentGrant = v.InferOutput<typeof ConsentGrant>;
export type ConsentRevocation = v.InferOutput<typeof ConsentRevocation>;
export type HubDeletionKey = v.InferOutput<typeof HubDeletionKey>;
export type ConsentRecord = v.InferOutput<typeof ConsentRecord>;
