import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createHost } from '../../hooks/host.ts';
import { learningPlugin } from '../../lib/plugin.ts';
import { runCli, tempProject } from '../cli/harness.ts';
import { canaries, canaryForms, filesUnder, SHARED_FIXTURES, SKIP_NO_FIXTURES } from '../shared-fixtures.ts';

/** Every string value found in the fixture's JSON and JSONL records (keys too), including canaries. */
function fixtureStrings(root: string): string[] {
  const out = new Set<string>();
  const walk = (x: unknown) => {
    if (typeof x === 'string') out.add(x);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object')
      for (const [k, v] of Object.entries(x)) {
        out.add(k);
        walk(v);
      }
  };
  for (const file of filesUnder(join(root, '.tapps-agents'))) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.json')) {
      try {
        walk(JSON.parse(text));
      } catch {
        out.add(text.slice(0, 4000));
      }
    } else if (file.endsWith('.jsonl') || file.endsWith('.log')) {
      for (const line of text.split('\n')) {
        const json = line.slice(line.indexOf('{'));
        try {
          walk(JSON.parse(json));
        } catch {
          if (line) out.add(line);
        }
      }
    } else out.add(text.slice(0, 4000));
  }
  return [...out];
}

describe('no canary reaches an export', () => {
  it('feeds every string of the tapps-small records through every event field, then exports in every format', async (t) => {
    if (!SHARED_FIXTURES) return t.skip(SKIP_NO_FIXTURES);
    const strings = fixtureStrings(join(SHARED_FIXTURES, 'tapps-small'));
    const planted = canaries();
    assert.ok(planted.length >= 13);
    for (const c of planted)
      assert.ok(
        strings.some((s) => s.includes(c) || s.includes(JSON.stringify(c).slice(1, -1))),
        `fixture holds ${c}`,
      );

    const dir = tempProject();
    const host = await createHost({ projectRoot: dir, config: { plugins: [learningPlugin()] } });
    const session = { sessionId: 's', projectRoot: dir };
    await host.hooks.sessionStart.promise(session);
    const at = (i: number) =>
      new Date(Date.parse('2026-10-01T00:00:00Z') + (i % 40) * 86_400_000).toISOString();
    for (const [i, s] of strings.entries()) {
      // The same hostile string in every field a host could fill, several times so cells pass k.
      for (let rep = 0; rep < 6; rep++) {
        await host.hooks.taskCompleted.promise({
          id: `${i}-${rep}`,
          source: s,
          agent: rep % 2 ? s : 'implementer',
          action: s,
          status: rep % 3 === 0 ? 'failure' : 'success',
          errorType: s,
          errorMessage: s,
          workflow: { id: s, type: s, name: s },
          stepId: s,
          files: [s, `/home/alice/${s}`],
          patternsUsed: [{ type: s, id: s }],
          decision: { kind: s, chosen: s, reason: s, alternatives: [s] },
          securityFindings: [{ ruleId: s, severity: s }],
          qualityScores: { [s]: 50, security: 70 },
          metadata: { [s]: s },
          finishedAt: at(i),
        });
        await host.hooks.workflowCompleted.promise({
          id: `w${i}-${rep}`,
          source: s,
          workflow: { id: s, name: s },
          status: 'failed',
          errorType: s,
          errorMessage: s,
          finishedAt: at(i),
        });
        await host.hooks.consultationCompleted.promise({
          id: `c${i}-${rep}`,
          source: s,
          expertId: s,
          domain: s,
          confidence: 0.5,
          agent: s,
          selectionReason: s,
          query: s,
          at: at(i),
        });
      }
    }
    await host.hooks.sessionEnd.promise(session);
    assert.deepEqual(host.failures, []);

    for (const args of [
      ['--out', '-'],
      ['--out', '-', '--gzip'],
      ['--out', '-', '--format', 'msgpack'],
      ['--out', '-', '--k', '1'],
    ]) {
      const r = await runCli(['learning', 'export', ...args], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      let bytes = r.stdoutBytes;
      if (args.includes('--gzip')) bytes = gunzipSync(bytes);
      const texts = [bytes.toString('utf8'), bytes.toString('latin1'), r.stderr];
      for (const c of planted)
        for (const form of canaryForms(c))
          for (const text of texts)
            assert.ok(!text.includes(form), `canary "${c}" found in export ${args.join(' ')}`);
      if (!args.includes('--format'))
        assert.ok(
          JSON.parse(bytes.toString('utf8')).totals.tasks >= strings.length * 3,
          'events with the framework agent are all counted',
        );
    }
  });
});
