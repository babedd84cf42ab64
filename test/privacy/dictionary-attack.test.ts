import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { produceExport } from '../../lib/export/produce.ts';
import { resolveOptions } from '../../lib/options.ts';
import { normalizeName } from '../../lib/privacy/names.ts';
import { createPseudonymizer } from '../../lib/privacy/pseudonym.ts';
import { Recorder } from '../../lib/rollup/recorder.ts';
import { loadState } from '../../lib/rollup/state-file.ts';
import { tempProject } from '../cli/harness.ts';
import { canaries, SHARED_FIXTURES, SKIP_NO_FIXTURES } from '../shared-fixtures.ts';
import {
  attackIndex,
  dictionary,
  projectPaths,
  recover,
  remotes,
  repoNames,
  UPSTREAM_SALT,
} from './dictionary.ts';
import { CORPUS_IDENTITY } from './leak-corpus.ts';

/**
 * Keyed pseudonyms against a dictionary attack. Exports are built from events that carry the
 * dictionary's own names (the fixture's canaries and capability ids, project paths, repository
 * names and remotes) as custom action, workflow, decision, expert and domain names; every
 * 16-hex digest in those exports is looked up in everything the attacker can compute. Nothing may
 * come back. The same attack against the framework's own exporter (upstream-export.json) must
 * recover its ids, or the test proves nothing.
 */

const RUNS = 5;
const BATCH = 30;

function capabilityIds(root: string): string[] {
  const file = join(root, 'tapps-small', '.tapps-agents', 'capabilities', 'capabilities.json');
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
    metadata?: unknown;
    metrics: { capability_id: string }[];
  };
  return parsed.metrics.map((m) => m.capability_id);
}

/** One project (its own secret) whose events carry `names` in every pseudonymized field. */
async function exportCarrying(names: readonly string[]): Promise<string> {
  const dir = tempProject('attack-');
  const rec = new Recorder(dir);
  let n = 0;
  for (const name of names) {
    const [agent, action] =
      name.includes('.') && !name.includes('/') ? name.split('.', 2) : ['implementer', name];
    for (let i = 0; i < RUNS; i++) {
      const id = `e${n++}`;
      rec.record('task', {
        id,
        source: 'test',
        agent: agent as string,
        action,
        status: 'success',
        workflow: { type: name },
        decision: { kind: name },
        securityFindings: [{ ruleId: name, severity: 'high' }],
      });
      rec.record('workflow', { id, source: 'test', workflow: { type: name }, status: 'completed' });
      rec.record('consultation', {
        id,
        source: 'test',
        expertId: name,
        domain: name,
        confidence: 0.8,
        agent: name,
      });
    }
  }
  await rec.flush();
  const produced = await produceExport(loadState(dir).state, {
    format: 'json',
    now: new Date('2026-11-24T03:00:00Z'),
    projectId: rec.projectId(),
    options: resolveOptions(undefined, undefined),
    projectRoot: dir,
    identity: CORPUS_IDENTITY,
  });
  return Buffer.from(produced.bytes).toString('utf8');
}

const pseudonymDigests = (text: string) =>
  new Set([...text.matchAll(/p_([0-9a-f]{16})/g)].map((m) => m[1] as string));

describe('keyed pseudonyms resist a dictionary attack', () => {
  it('recovers nothing from our exports, and the ids of the framework’s own export', async (t) => {
    if (!SHARED_FIXTURES) return t.skip(SKIP_NO_FIXTURES);
    const planted = [...canaries(), ...capabilityIds(SHARED_FIXTURES)];
    const entries = dictionary(planted);
    const started = performance.now();
    const index = attackIndex(entries);
    const indexMs = performance.now() - started;

    // Names the events carry: every canary and capability id, and a spread of the dictionary.
    const sample = (list: string[], n: number) => list.filter((_, i) => i % Math.ceil(list.length / n) === 0);
    const carried = [
      ...new Set([
        ...planted,
        ...sample(projectPaths(), 60),
        ...sample(repoNames(), 60),
        ...sample(remotes(), 30),
        'globex-invoice-migration',
      ]),
    ];
    const ours = new Map<string, string>();
    for (let i = 0; i < carried.length; i += BATCH) {
      const text = await exportCarrying(carried.slice(i, i + BATCH));
      for (const d of pseudonymDigests(text)) ours.set(d, text);
      for (const c of canaries())
        assert.ok(
          !text.includes(c) && !text.includes(JSON.stringify(c).slice(1, -1)),
          `canary in an export: ${c}`,
        );
    }
    const fromOurs = recover(ours.keys(), index);

    const upstream = JSON.parse(
      readFileSync(join(SHARED_FIXTURES, 'tapps-small', 'upstream-export.json'), 'utf8'),
    ) as {
      export_metadata: { project_hash: string };
      capability_metrics: { capabilities: { capability_id: string }[] };
    };
    const upstreamIds = upstream.capability_metrics.capabilities.map((c) =>
      c.capability_id.replace(/^hash_/, ''),
    );
    const fromUpstream = recover(upstreamIds, index);
    const projectHash = recover([upstream.export_metadata.project_hash], index);
    // The upstream scheme for the documented checkout path, as the exporter computes project_hash.
    const documented = createHash('sha256').update('/home/alice/acme-payments').digest('hex').slice(0, 16);
    const fromDocumented = recover([documented], index);

    console.log(
      `dictionary attack: ${entries.length} entries (${projectPaths().length} project paths, ${repoNames().length} repo names, ` +
        `${remotes().length} remotes, ${planted.length} canaries and capability ids), ${index.size} digests in ${Math.round(indexMs)} ms`,
    );
    console.log(
      `  our exports (${carried.length} names carried, ${ours.size} pseudonyms incl. project ids): ${fromOurs.size} recovered`,
    );
    console.log(
      `  upstream-export.json capability ids: ${fromUpstream.size}/${upstreamIds.length} recovered (salt "${UPSTREAM_SALT}")`,
    );
    console.log(
      `  upstream project_hash ${upstream.export_metadata.project_hash}: ${projectHash.size}/1 recovered; ` +
        `sha256("/home/alice/acme-payments")[:16] = ${documented}: ${fromDocumented.size}/1 recovered`,
    );

    assert.equal(fromOurs.size, 0, `recovered from our exports: ${[...fromOurs.values()].join(', ')}`);
    assert.ok(ours.size >= carried.length, 'each carried name became at least one pseudonym');
    assert.equal(
      fromUpstream.size,
      upstreamIds.length,
      'the attack recovers every id of the framework’s export',
    );
    for (const [digest, name] of fromUpstream)
      assert.equal(
        createHash('sha256')
          .update(UPSTREAM_SALT + name)
          .digest('hex')
          .slice(0, 16),
        digest,
      );
    assert.equal(
      fromDocumented.get(documented),
      '/home/alice/acme-payments',
      'an unsalted path hash falls to the path list',
    );
  });

  it('the same name in two projects (or after rotate-id) gets unrelated pseudonyms: no cross-project clustering', () => {
    const a = createPseudonymizer(new Uint8Array(32).fill(1));
    const b = createPseudonymizer(new Uint8Array(32).fill(2));
    const names = [...repoNames().slice(0, 200), 'contoso-refund-service', 'acme_payroll_ssn_masking'].map(
      normalizeName,
    );
    const shared = names.filter((n) => a('action', n) === b('action', n));
    // Upstream hashes with a public constant salt: the same name gives the same hash in every project.
    console.log(
      `cross-project linkage: ${shared.length}/${names.length} names share a pseudonym across two project keys`,
    );
    assert.equal(shared.length, 0);
  });
});
