import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { decode } from '@msgpack/msgpack';
import { Recorder } from '../../lib/rollup/recorder.ts';
import { runBin, runCli, tempProject } from './harness.ts';

async function projectWithData(): Promise<string> {
  const dir = tempProject();
  const rec = new Recorder(dir);
  const start = Date.parse('2026-09-01T00:00:00Z');
  for (let i = 0; i < 600; i++) {
    rec.record('task', {
      id: `t${i}`,
      source: 'test',
      agent: ['implementer', 'reviewer', 'tester'][i % 3] as string,
      action: ['implement', 'review-code', 'write-tests'][i % 3],
      status: i % 4 === 0 ? 'failure' : 'success',
      errorType: 'TimeoutError',
      finishedAt: new Date(start + (i % 50) * 86_400_000).toISOString(),
      durationMs: 1000 + i,
      qualityScore: 50 + (i % 50),
      workflow: { id: 'rapid-dev-20260926-091432' },
    });
  }
  rec.record('workflow', {
    id: 'w1',
    source: 'test',
    workflow: { id: 'rapid-dev-20260926-091432' },
    status: 'completed',
  });
  await rec.flush();
  return dir;
}

describe('learning export / validate / status / reset', () => {
  it('writes a valid export to the default path, never overwriting, and validate accepts it', async () => {
    const dir = await projectWithData();
    const a = await runCli(['learning', 'export'], { cwd: dir });
    assert.equal(a.code, 0, a.stderr);
    const b = await runCli(['learning', 'export'], { cwd: dir });
    assert.equal(b.code, 0, b.stderr);
    const files = readdirSync(join(dir, '.tapps-agents', 'exports')).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 2, `two files, none overwritten: ${files}`);
    for (const f of files) assert.match(f, /^learning-\d{8}T\d{6}Z-[0-9a-f]{8}(-\d+)?\.json$/);
    assert.ok(existsSync(join(dir, '.tapps-agents', 'exports', '.gitignore')));
    const v = await runCli(['learning', 'validate', join('.tapps-agents', 'exports', files[0] as string)], {
      cwd: dir,
    });
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stderr, /valid learning export/);
    const doc = JSON.parse(readFileSync(join(dir, '.tapps-agents', 'exports', files[0] as string), 'utf8'));
    assert.equal(doc.schemaVersion, '1.0');
    assert.equal(doc.totals.tasks, 600);
    assert.deepEqual(
      doc.capabilities.items.map((c: { name: string }) => c.name),
      ['implementer.implement', 'reviewer.review-code', 'tester.write-tests'],
    );
    assert.equal(doc.patterns.status, 'not-recorded');
  });

  it('writes gzip and MessagePack to stdout with --out -, and the same data gives the same exportId', async () => {
    const dir = await projectWithData();
    const gz = await runCli(['learning', 'export', '--gzip', '--out', '-'], { cwd: dir });
    assert.equal(gz.code, 0, gz.stderr);
    const fromGzip = JSON.parse(gunzipSync(gz.stdoutBytes).toString('utf8'));
    const mp = await runCli(['learning', 'export', '--format', 'msgpack', '--out', '-'], { cwd: dir });
    const fromMsgpack = decode(mp.stdoutBytes) as typeof fromGzip;
    assert.equal(fromMsgpack.metadata.exportId, fromGzip.metadata.exportId);
    writeFileSync(join(dir, 'x.msgpack'), mp.stdoutBytes);
    const v = await runCli(['learning', 'validate', 'x.msgpack', '--json'], { cwd: dir });
    assert.equal(v.code, 0);
    assert.equal(JSON.parse(v.stdout).exportId, fromGzip.metadata.exportId);
  });

  it('exports a valid document whose sections say they hold no data in an empty project', async () => {
    const dir = tempProject();
    const r = await runCli(['learning', 'export', '--out', '-'], { cwd: join(dir, '.tapps-agents') });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    for (const s of ['capabilities', 'workflows', 'experts', 'failures', 'effectiveness']) {
      assert.equal(doc[s].status, 'empty', s);
      assert.equal(doc[s].reason, 'no-data-yet', s);
    }
    assert.equal(doc.totals.tasks, 0);
  });

  it('suppresses cells below k and leaves out excluded sections', async () => {
    const dir = await projectWithData();
    const r = await runCli(
      ['learning', 'export', '--out', '-', '--k', '250', '--exclude', 'experts,health'],
      { cwd: dir },
    );
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.metadata.privacy.k, 250);
    assert.ok(doc.metadata.privacy.suppressedCells > 0);
    assert.deepEqual(
      doc.capabilities.items.map((c: { name: string }) => c.name),
      ['__other__'],
    );
    assert.equal(doc.experts.status, 'excluded');
    assert.equal(doc.health.status, 'excluded');
    const bad = await runCli(['learning', 'export', '--exclude', 'secrets'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown section\(s\) secrets/);
  });

  it('validate names every problem by JSON pointer and exits 1', async () => {
    const dir = await projectWithData();
    const r = await runCli(['learning', 'export', '--out', '-'], { cwd: dir });
    const doc = JSON.parse(r.stdout);
    doc.totals.tasks = -1;
    doc.capabilities.items[0].extra = 'x';
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(doc));
    const v = await runCli(['learning', 'validate', 'bad.json'], { cwd: dir });
    assert.equal(v.code, 1);
    assert.match(v.stderr, /\/totals\/tasks: /);
    assert.match(v.stderr, /\/capabilities\/items\/0\/extra: unknown field/);
    writeFileSync(join(dir, 'garbage.json'), '{ nope');
    const g = await runCli(['learning', 'validate', 'garbage.json'], { cwd: dir });
    assert.equal(g.code, 1);
    assert.match(g.stderr, /not valid JSON/);
    const missing = await runCli(['learning', 'validate', 'missing.json'], { cwd: dir });
    assert.equal(missing.code, 5);
  });

  it('status reports events, capabilities and state size, as text and JSON', async () => {
    const dir = await projectWithData();
    const r = await runCli(['learning', 'status', '--json'], { cwd: dir });
    assert.equal(r.code, 0);
    const s = JSON.parse(r.stdout);
    assert.equal(s.eventsSeen, 601);
    assert.ok(Number.isInteger(s.eventsSeen));
    assert.equal(s.capabilities, 3);
    assert.ok(s.stateBytes > 0);
    assert.ok(s.lastUpdate);
    const text = await runCli(['learning', 'status'], { cwd: dir });
    assert.match(text.stderr, /events seen 601/);
    assert.equal(text.stdout, '', 'human text goes to stderr');
  });

  it('reset asks, refuses without a terminal, and deletes with --yes', async () => {
    const dir = await projectWithData();
    const no = await runCli(['learning', 'reset'], { cwd: dir });
    assert.equal(no.code, 2);
    assert.match(no.stderr, /--yes/);
    assert.ok(existsSync(join(dir, '.tapps-agents', 'learning-plugin', 'state.msgpack')));
    const tty = await runCli(['learning', 'reset'], {
      cwd: dir,
      tty: true,
      input: 'y\n',
      env: { PATH: process.env.PATH },
    });
    assert.equal(tty.code, 0, tty.stderr);
    assert.ok(!existsSync(join(dir, '.tapps-agents', 'learning-plugin', 'state.msgpack')));
  });

  it('prints help with an example for every command, and a usage error exits 2', async () => {
    const dir = tempProject();
    for (const cmd of ['export', 'validate', 'status', 'reset']) {
      const h = await runCli(['learning', cmd, '--help'], { cwd: dir });
      assert.equal(h.code, 0);
      assert.match(h.stdout, /Example:\n {2}tapps-agents learning /, cmd);
    }
    const bad = await runCli(['learning', 'export', '--format', 'yaml'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /yaml/);
  });

  it('hands unknown commands to the framework CLI, or says clearly that there is none', async () => {
    const dir = tempProject();
    const r = await runCli(['workflow', 'rapid'], { cwd: dir, env: { PATH: '/nonexistent' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /TappsCodingAgents CLI was not found/);
    writeFileSync(join(dir, 'fake-framework.sh'), '#!/bin/sh\necho "framework got: $*"\nexit 7\n', {
      mode: 0o755,
    });
    writeFileSync(
      join(dir, 'tapps-agents.config.json'),
      JSON.stringify({ framework: { command: [join(dir, 'fake-framework.sh')] } }),
    );
    const run = await runBin(['workflow', 'rapid'], { cwd: dir });
    assert.equal(run.code, 7, 'the framework exit code is forwarded');
    assert.match(run.stdout, /framework got: workflow rapid/);
  });

  it('runs as the built bin from a subfolder, without tsx', async () => {
    const dir = await projectWithData();
    const r = await runBin(['learning', 'export', '--out', '-'], { cwd: join(dir, '.tapps-agents') });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).totals.tasks, 600);
  });
});

/** 600 framework tasks plus a custom capability with only 2 runs (below k=5). */
async function projectWithSmallCell(): Promise<string> {
  const dir = await projectWithData();
  const rec = new Recorder(dir);
  for (let i = 0; i < 2; i++)
    rec.record('task', {
      id: `small${i}`,
      source: 'test',
      agent: 'implementer',
      action: 'globex_sync',
      status: 'success',
    });
  await rec.flush();
  return dir;
}

describe('learning export: raw exports, Laplace noise, sensitive terms', () => {
  it('--no-anonymize asks first: without a terminal or --yes nothing is written (exit 4)', async () => {
    const dir = await projectWithSmallCell();
    const r = await runCli(['learning', 'export', '--no-anonymize', '--out', '-'], { cwd: dir });
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /not confirmed; nothing written/);
    const no = await runCli(['learning', 'export', '--no-anonymize'], { cwd: dir, tty: true, input: 'n\n' });
    assert.equal(no.code, 4);
    assert.match(
      no.stderr,
      /skips the k-threshold .*the Laplace noise and the privacy gate. Names stay pseudonyms/,
    );
    assert.ok(!existsSync(join(dir, '.tapps-agents', 'exports')), 'no file when declined');
  });

  it('--no-anonymize --yes keeps cells below k, is marked raw, and says exactly what it skipped', async () => {
    const dir = await projectWithSmallCell();
    const normal = JSON.parse((await runCli(['learning', 'export', '--out', '-'], { cwd: dir })).stdout);
    const names = (d: { capabilities: { items: { name: string }[] } }) =>
      d.capabilities.items.map((c) => c.name);
    assert.ok(
      !names(normal).some((n) => /^implementer\.p_/.test(n)),
      'the 2-run capability is folded in a normal export',
    );
    assert.equal(normal.metadata.raw, false);

    const r = await runCli(['learning', 'export', '--no-anonymize', '--yes', '--out', '-'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const raw = JSON.parse(r.stdout);
    assert.equal(raw.metadata.raw, true);
    assert.equal(raw.metadata.privacy.k, 1);
    assert.equal(raw.metadata.privacy.epsilon, null);
    assert.equal(raw.metadata.privacy.suppressedCells, 0);
    assert.equal(raw.metadata.privacy.redaction.scannedStrings, 0, 'the gate did not run');
    const small = raw.capabilities.items.find((c: { name: string }) =>
      /^implementer\.p_[0-9a-f]{16}$/.test(c.name),
    );
    assert.equal(small?.runs, 2, 'the raw export keeps the cell below k, under its pseudonym');
    assert.doesNotMatch(r.stdout, /globex/i, 'names stay pseudonyms');
    assert.match(r.stderr, /RAW export \(no k-threshold, no noise, not gated\)/);

    const file = await runCli(['learning', 'export', '--no-anonymize'], {
      cwd: dir,
      tty: true,
      input: 'y\n',
    });
    assert.equal(file.code, 0, file.stderr);
    const files = readdirSync(join(dir, '.tapps-agents', 'exports')).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 1);
    assert.match(files[0] as string, /^learning-raw-\d{8}T\d{6}Z-[0-9a-f]{8}\.json$/);
    const v = await runCli(['learning', 'validate', join('.tapps-agents', 'exports', files[0] as string)], {
      cwd: dir,
    });
    assert.equal(v.code, 0, 'a raw export is a valid document; submit and the hub refuse it by metadata.raw');

    const help = await runCli(['learning', 'export', '--help'], { cwd: dir });
    assert.match(help.stdout, /It does\s+NOT\s+restore\s+names,\s+paths\s+or\s+messages/);
    const mixed = await runCli(['learning', 'export', '--no-anonymize', '--yes', '--epsilon', '1'], {
      cwd: dir,
    });
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /no effect on a raw export/);
  });

  it('--epsilon adds keyed Laplace noise: integers, consistent, recorded, and the same data gives the same bytes', async () => {
    const dir = await projectWithData();
    const plain = JSON.parse((await runCli(['learning', 'export', '--out', '-'], { cwd: dir })).stdout);
    const a = await runCli(['learning', 'export', '--epsilon', '0.5', '--out', '-'], { cwd: dir });
    assert.equal(a.code, 0, a.stderr);
    const b = await runCli(['learning', 'export', '--epsilon', '0.5', '--out', '-'], { cwd: dir });
    const doc = JSON.parse(a.stdout);
    assert.equal(doc.metadata.privacy.epsilon, 0.5);
    assert.equal(doc.metadata.privacy.k, 5);
    assert.ok(doc.metadata.privacy.redaction.rules['noise/laplace'] > 100);
    assert.equal(
      JSON.parse(b.stdout).metadata.exportId,
      doc.metadata.exportId,
      'noise is derived from the key and the data',
    );
    assert.notEqual(doc.metadata.exportId, plain.metadata.exportId);
    for (const c of doc.capabilities.items) {
      assert.equal(c.runs, c.successes + c.failures + c.skips);
      assert.ok(c.retrySuccesses <= c.retries && c.retries <= c.runs);
      assert.ok(c.durationMs.count <= c.runs);
      for (const cell of Object.values(c.weeks) as number[][])
        assert.ok(
          cell.every((x) => Number.isInteger(x) && x >= 0) &&
            (cell[1] as number) + (cell[2] as number) <= (cell[0] as number),
        );
    }
    assert.match(a.stderr, /Laplace noise with epsilon 0\.5 on \d+ values/);
    for (const bad of ['0', '-1', 'abc', '101']) {
      const r = await runCli(['learning', 'export', '--epsilon', bad], { cwd: dir });
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, /--epsilon must be a number above 0 and at most 100/);
    }
  });

  it('the redaction report counts what the privacy steps did, and the gate found nothing', async () => {
    const dir = await projectWithSmallCell();
    const doc = JSON.parse((await runCli(['learning', 'export', '--out', '-'], { cwd: dir })).stdout);
    const r = doc.metadata.privacy.redaction;
    assert.equal(r.findings, 0);
    assert.ok(r.scannedStrings > 100);
    assert.equal(r.rules['k-threshold/suppressed'], doc.metadata.privacy.suppressedCells);
    assert.ok(doc.metadata.privacy.suppressedCells >= 1);
    assert.equal(r.rules['allow-list/pseudonym'], 0, 'the only pseudonymous capability was folded away');
    assert.equal(r.rules['noise/laplace'], undefined);
  });

  it('learning.sensitiveTerms in the committed config reaches the gate: a declared term refuses the export (exit 3)', async () => {
    const dir = await projectWithData();
    const rec = new Recorder(dir);
    for (let i = 0; i < 6; i++)
      rec.record('task', {
        id: `c${i}`,
        source: 'test',
        agent: 'implementer',
        action: 'globex_sync',
        status: 'success',
      });
    await rec.flush();
    const plain = JSON.parse((await runCli(['learning', 'export', '--out', '-'], { cwd: dir })).stdout);
    const label = (plain.capabilities.items as { name: string }[])
      .find((c) => c.name.includes('.p_'))
      ?.name.split('.')[1];
    assert.ok(label);
    // A pseudonym stands in for a term no export may carry (no real one can reach an export): declaring it refuses.
    writeFileSync(
      join(dir, 'tapps-agents.config.json'),
      JSON.stringify({ learning: { sensitiveTerms: [label] } }),
    );
    const r = await runCli(['learning', 'export', '--out', '-'], { cwd: dir });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /identity\/declared-term/);
    assert.ok(!r.stderr.includes(label), 'the refusal names the rule and place, never the value');
    writeFileSync(
      join(dir, 'tapps-agents.config.json'),
      JSON.stringify({ learning: { sensitiveTerms: ['Initech', 'review-code'] } }),
    );
    const generic = await runCli(['learning', 'export', '--out', '-'], { cwd: dir });
    assert.equal(generic.code, 0, generic.stderr);
    assert.match(generic.stderr, /learning\.sensitiveTerms\[1\] is a framework or generic word .* ignored/);
    assert.ok(!generic.stderr.includes('review-code'));
    writeFileSync(
      join(dir, 'tapps-agents.config.json'),
      JSON.stringify({ learning: { sensitiveTerms: ['ok'] } }),
    );
    const bad = await runCli(['learning', 'export', '--out', '-'], { cwd: dir });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /learning\.sensitiveTerms\.0: a sensitive term needs at least 3 characters/);
  });
});
