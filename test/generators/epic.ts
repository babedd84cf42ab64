import { CANARIES } from './canaries.ts';
import { STORY_STEP } from './catalog.ts';
import type { Gen } from './gen.ts';
import { type FailurePlan, headlessRun } from './headless.ts';
import { dumps } from './py-json.ts';
import { addTask } from './truth.ts';

const TITLES = [
  `Export ${CANARIES.customer} ledgers from legacy CSV`,
  'Map ledger lines to v2 posting API',
  `Make ${CANARIES.functionName} idempotent for retries`,
  `Reconcile settlements with ${CANARIES.fileName}`,
];

/**
 * An epic run: every story runs as a headless `story-<id>` workflow; with quality gates on, a story
 * whose run ends blocked is run again at once, often within the same second and so under the same
 * workflow id. One memory line per finished story (`<title> — failed|done`, naive local time) and
 * the rewritten `epic-<N>.json`.
 */
export function epicRun(g: Gen, epic: number, us: number, resume: boolean): number {
  const { rng, clock, sinks } = g;
  let t = us;
  const stories = TITLES.map((title, k) => ({ id: `${epic}.${k + 1}`, title }));
  const order = [0, 2, 1, 3];
  const states: Record<string, unknown>[] = [];
  for (const k of order) {
    const story = stories[k] as { id: string; title: string };
    const runs = resume ? 1 : rng.int(1, 3);
    let seenIds = new Set<string>();
    for (let r = 0; r < runs; r++) {
      const id = `story-${story.id}-${clock.stamp(t)}`;
      g.claimId(id);
      const last = r === runs - 1;
      const failures = new Map<number, FailurePlan>();
      if (!resume && last && rng.chance(0.3)) failures.set(0, 'auto');
      t = headlessRun(g, {
        id,
        type: `story-${story.id}`,
        name: `Story ${story.id}: ${story.title}`,
        version: '1.0.0',
        steps: [STORY_STEP, { id: 'review', agent: 'reviewer', action: 'review_code' }],
        startUs: t + rng.int(200, 900),
        failures,
        doubleStart: !seenIds.has(id) && rng.chance(0.5),
        blockAfter: 1,
      });
      seenIds = new Set([...seenIds, id]);
    }
    t += rng.int(100, 600);
    const status = resume ? 'done' : 'failed';
    sinks.line(
      `epic-state/epic-${epic}-memory.jsonl`,
      dumps({
        story_id: story.id,
        title: story.title,
        files_changed: resume ? [CANARIES.sourcePath] : [],
        summary: `${story.title} \u2014 ${status}`,
        quality_scores: resume ? { overall: 78 } : {},
        timestamp: clock.local(t),
      }),
      t,
    );
    addTask(g.truth, 'epic', 'epic', 'story', resume ? 'success' : 'failure');
    states.push({
      story_id: story.id,
      title: story.title,
      status,
      artifacts: [],
      quality_scores: {},
      retry_count: 0,
      completed_at: clock.local(t),
    });
  }
  sinks.file(
    `epic-state/epic-${epic}.json`,
    dumps(
      {
        schema_version: 1,
        epic_id: `epic-${epic}`,
        epic_content_checksum: 'sha256:82c7feed78dd40f7',
        epic_path: `${CANARIES.projectRoot}/docs/prd/epic-${epic}-initech-ledger.md`,
        epic_title: `${CANARIES.customer} ledger platform migration`,
        started_at: clock.local(us),
        updated_at: clock.local(t),
        stories: states,
        execution_order: order.map((k) => stories[k]?.id),
      },
      2,
    ),
    t,
  );
  return t;
}
