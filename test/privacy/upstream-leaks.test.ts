import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { type GateReport, gate, gateBytes } from '../../lib/privacy/gate.ts';

/**
 * Upstream's 12 leak cases (upstream-anchor.md, section 2.3), each written as a document that
 * carries the leaked datum the way the framework's exporter (or an extension of it) would. The
 * gate must refuse every one; where the gate alone cannot see a leak (a calendar, host numbers)
 * the test says so and names the structural protection that stops it instead.
 */

function rules(report: GateReport): string[] {
  return Object.keys(report.counts).sort();
}

function refusedWith(report: GateReport, ...prefixes: string[]): void {
  assert.equal(report.ok, false, 'refused');
  for (const p of prefixes)
    assert.ok(
      rules(report).some((r) => r.startsWith(p)),
      `${p} among ${rules(report).join(', ')}`,
    );
}

test('L1: the checkout path behind the project hash', async () => {
  // Upstream hashes the absolute CWD without salt; the document that leaks it is one where the
  // path (or a trend note, a cwd field) is present.
  refusedWith(
    await gate(
      {
        export_metadata: { project_root: '/home/runner/work/acme-billing/acme-billing' },
        system: { cwd: '/home/alice/work/contoso-api' },
      },
      {},
    ),
    'path/posix-absolute',
  );
  // The bare 16-hex project hash looks exactly like one of our digests: no scanner can tell a
  // reversible hash from a keyed one by its characters. Our structural fix is the keyed
  // pseudonym (HMAC with a per-project secret) for the project id; the gate lets digests pass.
  assert.equal((await gate({ projectHash: '6fe126de43ca5127' }, {})).ok, true);
});

test('L2: customer and feature names in custom capability ids, raw or under the public-salt hash', async () => {
  refusedWith(
    await gate({ capability_id: 'implementer.contoso-refund-service' }, {}),
    'name/unlisted-capability',
  );
  refusedWith(
    await gate({ capabilities: { 'tester.acme_payroll_ssn_masking': { runs: 3 } } }, {}),
    'code/identifier',
  );
  refusedWith(
    await gate({ capabilities: [{ capability_id: 'hash_521274827b702293' }] }, {}),
    'pseudonym/unkeyed-hash',
  );
});

test('L3: the same constant-salt hash links exports of one organisation', async () => {
  const a = await gate({ capabilities: [{ capability_id: 'hash_02296e5b0cf37382' }] }, {});
  const b = await gate({ capability_metrics: { capabilities: { hash_02296e5b0cf37382: {} } } }, {});
  refusedWith(a, 'pseudonym/unkeyed-hash');
  refusedWith(b, 'pseudonym/unkeyed-hash');
});

test('L4: the time zone, from a naive local stamp beside the UTC export stamp', async () => {
  // Upstream stamps `system.timestamp` with naive local time. The gate cannot know the offset,
  // but it does not need to: an export carries UTC stamps only, so any stamp without a zone (or
  // with a non-zero offset) is refused. Dates alone (`2026-11-24`) carry no zone and pass.
  refusedWith(
    await gate(
      {
        export_metadata: { export_timestamp: '2026-11-24T03:17:24.893552+00:00' },
        system: { timestamp: '2026-11-24T08:47:24.893552' },
      },
      {},
    ),
    'time/naive-timestamp',
  );
  refusedWith(await gate({ system: { timestamp: '2026-11-24T08:47:24+05:30' } }, {}), 'time/local-offset');
  assert.equal((await gate({ createdAt: '2026-11-24T03:17:24.893Z', week: '2026-11-23' }, {})).ok, true);
});

test('L5: the work calendar (local days with durations and success rates)', async () => {
  // Upstream's `trends` carry naive local stamps; those are refused as in L4.
  refusedWith(
    await gate({ trends: [{ timestamp: '2026-11-21T18:04:11', duration: 412.5, success_rate: 0.5 }] }, {}),
    'time/naive-timestamp',
  );
  // A calendar made of bare dates is not something a string scanner can refuse: `2026-11-21`
  // is as harmless-looking as our own week keys. What stops it is structural: the export schema
  // has weekly series only (Monday keys, schema/export-v1.ts WeeklySeries), days are folded
  // into weeks before export, and closed objects reject an unknown `trends` field.
  const calendar = { trends: { daily: [{ date: '2026-11-21', durationMs: 412_500, successRate: 0.5 }] } };
  assert.equal((await gate(calendar, {})).ok, true, 'documented limit: bare dates pass the gate');
});

test('L6: a host fingerprint (CPU, RAM and disk percentages)', async () => {
  // Numbers are not strings: the gate does not judge them (a sketch is thousands of numbers).
  // `cpuPercent: 37.5` passes the gate; the schema's closed objects are what refuse a `system`
  // block. The identifying parts of a host block (its name, its paths) are refused: see L12.
  assert.equal(
    (await gate({ system: { cpuPercent: 37.5, memoryPercent: 61.2, diskPercent: 80.1 } }, {})).ok,
    true,
  );
  // Upstream's own field names are snake_case, which the gate refuses as code identifiers.
  refusedWith(await gate({ system: { cpu_percent: 37.5, memory_percent: 61.2 } }, {}), 'code/identifier');
});

test('L7: a raw export with a secret and an e-mail in a workflow name, a home path in an agent name', async () => {
  const report = await gate(
    {
      analytics_data: {
        workflows: [
          {
            workflow_id: 'wf-CONTOSO-4471',
            workflow_name: 'hotfix: rotate AKIAIOSFODNN7EXAMPLE for bob@contoso.com',
          },
        ],
        agents: [{ agent_name: '/home/bob/.agents/implementer' }],
      },
    },
    {},
  );
  refusedWith(report, 'secret/aws-access-key', 'pii/email', 'path/posix-absolute', 'text/free-text');
});

test('L8: a descriptive file name and write time in the gzip header', async () => {
  const body = gzipSync(Buffer.from(JSON.stringify({ schemaVersion: '1.0' })));
  // What Python's gzip.open(path) writes: FLG.FNAME set, the basename after the header, MTIME.
  const name = Buffer.from('contoso-q3-feedback.json\0', 'latin1');
  const header = Buffer.from(body.subarray(0, 10));
  header[3] = 0x08;
  header.writeUInt32LE(1_795_000_000, 4);
  const python = Buffer.concat([header, name, body.subarray(10)]);
  const report = await gateBytes(python, {});
  refusedWith(report, 'format/gzip-file-name', 'format/gzip-mtime');
  assert.ok(!JSON.stringify(report).includes('contoso'));
  // Node's zlib writes neither: our own serializer passes.
  assert.equal((await gateBytes(body, {})).ok, true);
});

test('L9: free text with an e-mail, a token, a password, an internal host and an SSN', async () => {
  const report = await gate(
    {
      decision_logs: [
        { reasoning: 'asked alice@contoso.com; used ghp_Z3n8QwLk2VbX7mRt5YpC1dHs9FjU4aEo6WiK to push' },
      ],
      failure_analysis: [{ reason: 'rejected: leaks DB password hunter2 on db01.corp.contoso.local' }],
      prompts: ['customer SSN 123-45-6789 must be masked'],
    },
    {},
  );
  refusedWith(
    report,
    'pii/email',
    'secret/github-token',
    'secret/password-assignment',
    'pii/hostname',
    'pii/ssn',
  );
});

test('L10: task ids and code identifiers inside ids and justifications', async () => {
  const report = await gate(
    {
      decision_context: { task_id: 'TASK-CONTOSO-991', capability_id: 'implementer.contoso-refund-service' },
      patterns: [
        { learned_from: 'Task TASK-CONTOSO-991 failed' },
        { id: 'func_settle_invoice_0042' },
        { id: 'class_InvoiceService_0007' },
      ],
      justification: 'matched function_settle_invoice and class_ContosoRefundClient',
    },
    {},
  );
  refusedWith(report, 'code/identifier', 'text/free-text', 'name/unlisted-capability');
  // The bare task id `TASK-CONTOSO-991` is a project's own word: only a declared term catches it
  // on its own (the allow-list never lets a task id into an observation in the first place).
  refusedWith(await gate({ task_id: 'TASK-CONTOSO-991' }, { terms: ['contoso'] }), 'identity/declared-term');
});

test('L11: code under unlisted keys, and in a dict inside a list inside a list', async () => {
  const report = await gate(
    {
      prompt_variants: [{ prompt_template: 'Mask the SSN 078-05-1120 in {input}' }],
      deep: [[{ code: "os.system('curl http://db01.corp.contoso.local/dump')" }]],
      diff: '+    def settle_invoice(amount):',
    },
    {},
  );
  refusedWith(report, 'pii/ssn', 'code/fragment', 'pii/url');
  assert.ok(report.findings.some((f) => f.pointer === '/deep/0/0/code'));
});

test('L12: new fields nested under allowed keys (hostname, cwd, a path in a trend note)', async () => {
  const report = await gate(
    {
      system: { hostname: 'alice-macbook.corp.contoso.local', cwd: '/Users/alice/contoso' },
      trends: [{ note: 'ran from /home/alice/contoso' }],
    },
    {},
  );
  refusedWith(report, 'pii/hostname', 'path/posix-absolute');
  assert.deepEqual([...new Set(report.findings.map((f) => f.pointer))].sort(), [
    '/system/cwd',
    '/system/hostname',
    '/trends/0/note',
  ]);
});
