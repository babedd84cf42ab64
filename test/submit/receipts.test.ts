import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { pluginFile } from '../../lib/files/plugin-dir.ts';
import {
  alreadyDelivered,
  appendReceipt,
  earlierSubmissions,
  parseLedger,
  readReceipts,
} from '../../lib/submit/receipts.ts';
import type { Receipt } from '../../schema/receipt.ts';
import { projectWithData } from './support/project.ts';

const hex = (c: string) => c.repeat(64);
const receipt = (over: Partial<Receipt> = {}): Receipt => ({
  version: 1,
  at: '2026-11-24T10:00:00.000Z',
  destination: 'https://hub.example.org',
  transport: 'http',
  outcome: 'accepted',
  bytes: 1234,
  sha256: hex('a'),
  exportId: hex('b'),
  format: 'json',
  answer: { httpStatus: 201, receivedAt: '2026-11-24T10:00:01Z' },
  ...over,
});

const arbReceipt: fc.Arbitrary<Receipt> = fc.record({
  version: fc.constant(1 as const),
  at: fc
    .date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  destination: fc.oneof(
    fc.constant('github:wtthornton/tappscodingagents'),
    fc.webUrl().map((u) => u.slice(0, 200)),
  ),
  transport: fc.constantFrom('file', 'github-api', 'github-url', 'http'),
  outcome: fc.constantFrom('accepted', 'duplicate', 'written', 'prefilled'),
  bytes: fc.nat(),
  sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
  exportId: fc.stringMatching(/^[0-9a-f]{64}$/),
  format: fc.constantFrom('json', 'msgpack'),
  answer: fc.record(
    { httpStatus: fc.integer({ min: 100, max: 599 }), duplicate: fc.boolean() },
    { requiredKeys: [] },
  ),
}) as fc.Arbitrary<Receipt>;

describe('receipts ledger', () => {
  it('appends lines (mode 0600) and reads them back', async () => {
    const dir = await projectWithData({ tasks: 0 });
    appendReceipt(dir, receipt());
    appendReceipt(dir, receipt({ outcome: 'duplicate' }));
    const ledger = readReceipts(dir);
    assert.equal(ledger.receipts.length, 2);
    assert.deepEqual(ledger.skipped, []);
    assert.equal(statSync(pluginFile(dir, 'receipts')).mode & 0o077, 0);
    assert.equal(readFileSync(pluginFile(dir, 'receipts'), 'utf8').split('\n').length, 3);
  });

  it('refuses to write a receipt it could not read back', async () => {
    const dir = await projectWithData({ tasks: 0 });
    assert.throws(() => appendReceipt(dir, receipt({ sha256: 'nope' })));
  });

  it('skips damaged lines by number and keeps the rest', async () => {
    const dir = await projectWithData({ tasks: 0 });
    appendReceipt(dir, receipt());
    appendFileSync(pluginFile(dir, 'receipts'), '{"version":1}\nnot json\n\n{"__proto__":{"x":1}}\n');
    appendReceipt(dir, receipt({ exportId: hex('c') }));
    const ledger = readReceipts(dir);
    assert.equal(ledger.receipts.length, 2);
    assert.deepEqual(
      ledger.skipped.map((s) => s.line),
      [2, 3, 5],
    );
    assert.match(ledger.skipped[1]?.problem ?? '', /not JSON/);
    assert.equal(({} as { x?: number }).x, undefined, 'no prototype pollution');
  });

  it('notices the same export across transports and destinations', () => {
    const rs = [
      receipt({ transport: 'file', outcome: 'written', destination: 'file:/tmp/b' }),
      receipt({ transport: 'http', outcome: 'accepted' }),
      receipt({ exportId: hex('d') }),
    ];
    assert.equal(earlierSubmissions(rs, hex('b')).length, 2);
    assert.ok(alreadyDelivered(rs, hex('b'), 'https://hub.example.org'));
    assert.equal(
      alreadyDelivered(rs, hex('b'), 'file:/tmp/b'),
      undefined,
      'a written bundle is not a delivery',
    );
    assert.equal(alreadyDelivered(rs, hex('e'), 'https://hub.example.org'), undefined);
  });

  it('property: valid receipts survive a round trip through the ledger text, whatever garbage lines surround them', () => {
    fc.assert(
      fc.property(
        fc.array(arbReceipt, { maxLength: 8 }),
        fc.array(fc.string({ maxLength: 40 }), { maxLength: 8 }),
        (rs, junk) => {
          const lines = [...rs.map((r) => JSON.stringify(r)), ...junk.map((j) => j.replace(/\n/g, ' '))];
          const ledger = parseLedger(lines.join('\n'));
          assert.ok(ledger.receipts.length >= rs.length);
          for (const r of rs) assert.ok(ledger.receipts.some((x) => JSON.stringify(x) === JSON.stringify(r)));
          assert.equal(
            ledger.receipts.length + ledger.skipped.length,
            lines.filter((l) => l.trim() !== '').length,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
