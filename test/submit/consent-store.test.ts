import assert from 'node:assert/strict';
import { cpSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pluginFile } from '../../lib/files/plugin-dir.ts';
import { consentBinding } from '../../lib/submit/consent-binding.ts';
import { withGrant } from '../../lib/submit/consent-record.ts';
import { loadConsent, updateConsent } from '../../lib/submit/consent-store.ts';
import { tempDir } from '../temp-dir.ts';
import { projectWithData } from './support/project.ts';

const grant = {
  destination: 'https://hub.example.org',
  grantedAt: '2026-11-20T00:00:00.000Z',
  how: 'yes-flag',
  via: 'consent grant',
  policyVersion: '2026-11-1',
} as const;

describe('consent store', () => {
  it('writes atomically with mode 0600 and reads back what it wrote', async () => {
    const dir = await projectWithData({ tasks: 0 });
    assert.equal(loadConsent(dir).status, 'none');
    await updateConsent(dir, (r) => withGrant(r, grant));
    const s = loadConsent(dir);
    assert.equal(s.status, 'ok');
    assert.deepEqual(s.record.grants, [grant]);
    assert.equal(statSync(pluginFile(dir, 'consent')).mode & 0o777, 0o600);
  });

  it('binds the record to this folder: a rename keeps it, a copy (or a clone) does not', async () => {
    const dir = await projectWithData({ tasks: 0 });
    await updateConsent(dir, (r) => withGrant(r, grant));
    const moved = join(tempDir('moved-'), 'project');
    renameSync(dir, moved);
    assert.equal(loadConsent(moved).status, 'ok', 'renamed: still ours');
    const copy = join(tempDir('copy-'), 'project');
    cpSync(moved, copy, { recursive: true });
    const copied = loadConsent(copy);
    assert.equal(copied.status, 'foreign');
    assert.deepEqual(copied.record.grants, [], 'a foreign record approves nothing');
    assert.notEqual(consentBinding(copy), consentBinding(moved));
  });

  it('treats a damaged record as no consent, and says what is wrong', async () => {
    const dir = await projectWithData({ tasks: 0 });
    await updateConsent(dir, (r) => r);
    writeFileSync(pluginFile(dir, 'consent'), '{"version":1,"binding":"x"');
    const s = loadConsent(dir);
    assert.equal(s.status, 'unreadable');
    assert.match(s.status === 'unreadable' ? s.problem : '', /not valid JSON/);
    writeFileSync(
      pluginFile(dir, 'consent'),
      JSON.stringify({ version: 1, binding: consentBinding(dir), grants: 'all', revocations: [], hubs: [] }),
    );
    const t = loadConsent(dir);
    assert.match(t.status === 'unreadable' ? t.problem : '', /not a consent record \(grants: /);
    assert.deepEqual(t.record.grants, []);
  });
});
