import { PRIVACY_POLICY_VERSION } from '../../schema/export-v1.ts';
import { EXIT } from '../cli/io.ts';
import { decodeDocument } from '../export/decode.ts';
import { validateDocument } from '../export/validate.ts';
import { LockBusyError } from '../files/lock.ts';
import { gateBytes, machineIdentity } from '../privacy/gate.ts';
import { consentGap, grantCommand } from './approval.ts';
import { consentBinding } from './consent-binding.ts';
import { checkConsent } from './consent-record.ts';
import type { ConsentState } from './consent-store.ts';
import { type DeliverIo, deliver } from './deliver.ts';
import type { SubmitDeps } from './deps.ts';
import { type Destination, destinationFromKey } from './destination.ts';
import { githubApiBase } from './environment.ts';
import { listOutbox, lockOutbox, type QueuedItem, queuedBytes, recordAttempt, removeItem } from './outbox.ts';
import type { Payload } from './payload.ts';

export interface DrainOptions {
  projectRoot: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  deps: SubmitDeps;
  consent: ConsentState;
  command: string;
  /** Only entries for this destination key. */
  only?: string;
}

/**
 * `submit --retry`: sends every queued submission whose destination is still approved, under a
 * lock, removing each entry only after its receipt is written. Two drains never run at once, and an
 * entry the hub took is never sent again by us (should we crash between the answer and the removal,
 * the exportId as idempotency key makes the hub answer "duplicate"). Queued bytes are checked
 * again (hash, schema, privacy gate) before they leave: the outbox is a folder anyone could write.
 */
export async function drainOutbox(io: DeliverIo, o: DrainOptions): Promise<number> {
  let lock: Awaited<ReturnType<typeof lockOutbox>>;
  try {
    lock = await lockOutbox(o.projectRoot);
  } catch (error) {
    if (error instanceof LockBusyError) {
      io.say(
        `${o.command}: another submit --retry is sending the outbox right now (process ${error.holder ?? '?'}); nothing was sent`,
      );
      return EXIT.failed;
    }
    throw error;
  }
  try {
    const { items, problems } = listOutbox(o.projectRoot);
    for (const p of problems) io.say(`${o.command}: outbox file skipped: ${p}`);
    const todo = items.filter((i) => o.only === undefined || i.entry.destination === o.only);
    if (todo.length === 0) {
      io.say(`${o.command}: the outbox is empty${o.only ? ` for ${o.only}` : ''}; nothing to send`);
      return EXIT.ok;
    }
    let sent = 0;
    let left = 0;
    for (const item of todo) {
      const ok = await drainOne(io, o, item);
      if (ok) sent++;
      else left++;
    }
    io.say(`${o.command}: outbox: ${sent} sent, ${left} still queued`);
    return left === 0 ? EXIT.ok : EXIT.failed;
  } finally {
    lock.release();
  }
}

async function drainOne(io: DeliverIo, o: DrainOptions, item: QueuedItem): Promise<boolean> {
  const e = item.entry;
  const label = `queued export ${e.exportId.slice(0, 12)}… for ${e.destination}`;
  if (e.binding !== consentBinding(o.projectRoot)) {
    io.say(
      `${o.command}: ${label} not sent: it was queued in another folder or on another machine (copied, or committed to the ` +
        `repository), so it is not yours to send. Delete ${item.metaPath} and its .bin file.`,
    );
    return false;
  }
  let destination: Destination;
  try {
    destination = destinationFromKey(e.destination, { cwd: o.cwd, githubApiBase: githubApiBase(o.env) });
  } catch (error) {
    io.say(`${o.command}: ${label} not sent: ${(error as Error).message}`);
    return false;
  }
  if (destination.kind !== 'http') {
    io.say(`${o.command}: ${label} not sent: only hub submissions are queued`);
    return false;
  }
  const check = checkConsent(o.consent.record, e.destination, PRIVACY_POLICY_VERSION);
  if (!check.ok) {
    io.say(
      `${o.command}: ${label} not sent: ${consentGap(check, e.destination, 'the outbox', o.consent)}. To approve: ${grantCommand(destination)}`,
    );
    return false;
  }
  const payload = await checkedPayload(o, item);
  if (payload instanceof Error) {
    io.say(`${o.command}: ${label} not sent: ${payload.message}`);
    return false;
  }
  const r = await deliver(io, { ...o, destination, payload, fromOutbox: true });
  if (r.code === EXIT.ok) {
    removeItem(item);
    return true;
  }
  if (r.queued) recordAttempt(item, r.reason ?? 'not delivered', o.deps.clock());
  else {
    // Refused for good (a 4xx): sending it again cannot succeed.
    removeItem(item);
    io.say(`${o.command}: ${label} was removed from the outbox: the hub will not take it`);
  }
  return false;
}

/** The queued bytes as a payload, if they still are what was queued: same hash, a valid anonymized export, clean at the gate. */
async function checkedPayload(o: DrainOptions, item: QueuedItem): Promise<Payload | Error> {
  const bytes = queuedBytes(item);
  if (bytes instanceof Error) return bytes;
  let value: unknown;
  try {
    value = decodeDocument(bytes).value;
  } catch (error) {
    return new Error(`the queued bytes do not decode (${(error as Error).message})`);
  }
  const valid = validateDocument(value);
  if (!valid.ok || !valid.document || valid.version !== 'v1')
    return new Error(
      `the queued bytes are not a valid v1 export${valid.problems[0] ? ` (${valid.problems[0].pointer}: ${valid.problems[0].message})` : ''}`,
    );
  const doc = valid.document;
  if (doc.metadata.raw) return new Error('the queued export is a raw export, which is never submitted');
  if (doc.metadata.exportId !== item.entry.exportId)
    return new Error('the queued export has another exportId than its entry');
  const identity = o.deps.identity ?? (await machineIdentity(o.projectRoot));
  const report = await gateBytes(bytes, { identity });
  if (!report.ok)
    return new Error(
      `the privacy gate refuses the queued bytes (${report.findings.length} finding(s)); it was left in the outbox`,
    );
  return {
    bytes,
    sha256: item.entry.sha256,
    exportId: doc.metadata.exportId,
    format: item.entry.format,
    doc,
    scannedStrings: report.scannedStrings,
  };
}
