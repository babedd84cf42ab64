import type { ConsentGrant, ConsentRecord, HubDeletionKey } from '../../schema/consent.ts';

/** Pure operations on the consent record; reading and writing it is consent-store.ts. */

const MAX_REVOCATIONS = 64;

export function emptyConsent(binding: string): ConsentRecord {
  return { version: 1, binding, grants: [], revocations: [], hubs: [] };
}

export type ConsentCheck =
  | { ok: true; grant: ConsentGrant }
  | {
      ok: false;
      /** no-consent: never approved anything; other-destination: approved others, not this one; policy-changed: approved under an older policy. */
      reason: 'no-consent' | 'other-destination' | 'policy-changed';
      grant?: ConsentGrant;
      approved: readonly string[];
    };

/** Whether `destination` (a key) may receive a submission under the current policy version. */
export function checkConsent(
  record: ConsentRecord,
  destination: string,
  policyVersion: string,
): ConsentCheck {
  const approved = record.grants.map((g) => g.destination);
  const grant = record.grants.find((g) => g.destination === destination);
  if (!grant)
    return { ok: false, reason: approved.length === 0 ? 'no-consent' : 'other-destination', approved };
  if (grant.policyVersion !== policyVersion) return { ok: false, reason: 'policy-changed', grant, approved };
  return { ok: true, grant };
}

/** Adds or replaces the grant for its destination. */
export function withGrant(record: ConsentRecord, grant: ConsentGrant): ConsentRecord {
  return { ...record, grants: [...record.grants.filter((g) => g.destination !== grant.destination), grant] };
}

/** Removes the grants for `destinations` (all when null) and notes each revocation. */
export function withoutGrants(
  record: ConsentRecord,
  destinations: readonly string[] | null,
  now: Date,
): { record: ConsentRecord; revoked: string[] } {
  const revoked = record.grants
    .filter((g) => destinations === null || destinations.includes(g.destination))
    .map((g) => g.destination);
  const revocations = [
    ...record.revocations,
    ...revoked.map((destination) => ({ destination, revokedAt: now.toISOString() })),
  ];
  return {
    record: {
      ...record,
      grants: record.grants.filter((g) => !revoked.includes(g.destination)),
      revocations: revocations.slice(-MAX_REVOCATIONS),
    },
    revoked,
  };
}

/**
 * Records the deletion token for a hub and project. A token the hub itself returned replaces what
 * was known (the hub only returns one for a project it has just created); one the project derived
 * itself is kept only when nothing is known yet.
 */
export function withHubKey(record: ConsentRecord, key: HubDeletionKey, fromHub = false): ConsentRecord {
  const same = (h: HubDeletionKey) => h.destination === key.destination && h.projectId === key.projectId;
  const known = record.hubs.find(same);
  if (known && (!fromHub || known.deletionToken === key.deletionToken)) return record;
  return { ...record, hubs: [...record.hubs.filter((h) => !same(h)), key].slice(-64) };
}

export function withoutHubKey(record: ConsentRecord, destination: string, projectId: string): ConsentRecord {
  return {
    ...record,
    hubs: record.hubs.filter((h) => !(h.destination === destination && h.projectId === projectId)),
  };
}
