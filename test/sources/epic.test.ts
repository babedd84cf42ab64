import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dumps } from '../generators/py-json.ts';
import { collect, emittedCount, TempTapps } from './harness.ts';

const story = (id: string, status: string, ts: string, files: string[] = []) =>
  `${dumps({ story_id: id, title: 'Export Initech ledgers', files_changed: files, summary: `Export Initech ledgers \u2014 ${status}`, quality_scores: status === 'done' ? { overall: 78 } : {}, timestamp: ts })}\n`;

describe('epic state reader', () => {
  const t = new TempTapps();
  after(() => t.remove());

  it('reports each finished story; a story finished again is its next attempt', async () => {
    t.write(
      'epic-state/epic-4.json',
      dumps({ schema_version: 1, epic_id: 'epic-4', epic_title: 'Initech ledger migration', stories: [] }, 2),
    );
    t.write(
      'epic-state/epic-4-memory.jsonl',
      story('4.1', 'failed', '2026-10-09T11:09:17.692464') +
        story('4.3', 'failed', '2026-10-09T11:09:25.797525'),
    );
    const first = await collect(t.dir, {}, { stores: ['epic'] });
    t.append(
      'epic-state/epic-4-memory.jsonl',
      `${story('4.1', 'done', '2026-10-12T11:10:16.718764', ['/home/dana/x.py'])}garbage\n`,
    );
    const second = await collect(t.dir, first.checkpoints, { stores: ['epic'] });
    assert.deepEqual(
      [...first.tasks, ...second.tasks].map((e) => [
        e.id,
        e.agent,
        e.action,
        e.status,
        e.attempt,
        e.finishedAt,
        e.qualityScore ?? null,
      ]),
      [
        ['story:epic-4:4.1:1', 'epic', 'story', 'failure', 1, '2026-10-09T18:09:17.692Z', null],
        ['story:epic-4:4.3:1', 'epic', 'story', 'failure', 1, '2026-10-09T18:09:25.797Z', null],
        ['story:epic-4:4.1:2', 'epic', 'story', 'success', 2, '2026-10-12T18:10:16.718Z', 78],
      ],
    );
    assert.deepEqual(second.tasks[0]?.workflow, {
      id: 'epic-4',
      type: 'epic',
      name: 'Initech ledger migration',
    });
    assert.deepEqual(second.stats.epic.problems, [
      { path: 'epic-state/epic-4-memory.jsonl', line: 4, reason: 'not valid JSON' },
    ]);
    assert.equal(emittedCount(await collect(t.dir, second.checkpoints, { stores: ['epic'] })), 0);
  });
});
