import type { TaskCompletedEvent } from '../../schema/events.ts';
import { followAppend } from './append-file.ts';
import type { RunContext } from './context.ts';
import { asRec, numbers, str, strings } from './fields.ts';
import { parseRecord } from './json-line.ts';
import { readSmallFile } from './small-file.ts';
import { taskStatus } from './statuses.ts';
import { isoOf, parseMs } from './timestamps.ts';

const STORE = 'epic';
const DIR = 'epic-state';
const MEMORY = /^(epic-\d+)(?:-.+)?-memory\.jsonl$/;
/** `summary` is `<title> — <status>` (an em dash). */
const SUMMARY_STATUS = /\s[\u2014\u2013-]\s*([A-Za-z_]+)\s*$/;

/**
 * Epic runs: `epic-state/epic-<N>-memory.jsonl` gains one line per finished story (timestamps naive
 * local). A story is reported as a task of capability `epic.story`; a story finished again (a
 * resumed epic) is its next attempt. `epic-<N>.json` is read only for the epic's title.
 */
export async function readEpics(ctx: RunContext): Promise<void> {
  const entries = await ctx.list(DIR);
  if (!entries) return;
  for (const e of entries) {
    const m = e.isFile() ? MEMORY.exec(e.name) : null;
    if (!m) continue;
    const epicId = m[1] as string;
    const rel = `${DIR}/${e.name}`;
    const old = ctx.files.get(rel);
    const cp = old?.kind === 'append' ? old : undefined;
    let stories: [string, number][] = cp?.stories ?? [];
    let title: string | null | undefined;
    const next = await followAppend(ctx, STORE, rel, cp, {
      onStart: (fresh) => {
        if (fresh) stories = [];
      },
      onLine: async (text, line) => {
        const r = parseRecord(ctx, STORE, rel, line, text);
        if (!r) return;
        const story = str(r, 'story_id', 256);
        const word = SUMMARY_STATUS.exec(str(r, 'summary') ?? '')?.[1];
        const status = taskStatus(word === 'blocked' ? 'failed' : word);
        if (!story || !status) {
          ctx.problem(STORE, rel, line, story ? 'story without a known status' : 'line without story_id');
          return;
        }
        if (title === undefined) title = (await epicTitle(ctx, epicId)) ?? null;
        let entry = stories.find((s) => s[0] === story);
        if (!entry) {
          entry = [story, 0];
          stories.push(entry);
        }
        entry[1] += 1;
        const ms = parseMs(str(r, 'timestamp', 64), 'local', ctx.zone);
        const ev: TaskCompletedEvent = {
          id: `story:${epicId}:${story}:${entry[1]}`,
          source: STORE,
          agent: 'epic',
          action: 'story',
          status,
          attempt: entry[1],
          workflow: title ? { id: epicId, type: 'epic', name: title } : { id: epicId, type: 'epic' },
          stepId: story,
        };
        const finishedAt = isoOf(ms);
        if (finishedAt) ev.finishedAt = finishedAt;
        const scores = numbers(r, 'quality_scores').filter(([, v]) => v >= 0 && v <= 100);
        if (scores.length > 0) {
          ev.qualityScores = Object.fromEntries(scores);
          const overall = scores.find(([k]) => k === 'overall' || k === 'overall_score');
          if (overall) ev.qualityScore = overall[1];
        }
        const files = strings(r, 'files_changed');
        if (files && files.length > 0) ev.files = files;
        ev.metadata = { filesChanged: files?.length ?? 0 };
        const p = ctx.emit(STORE, { kind: 'task', event: ev }, ms, false);
        if (p) await p;
      },
    });
    if (!next) continue;
    next.stories = stories;
    ctx.files.set(rel, next);
  }
}

async function epicTitle(ctx: RunContext, epicId: string): Promise<string | undefined> {
  const bytes = readSmallFile(ctx.abs(`${DIR}/${epicId}.json`), 8 << 20);
  if (typeof bytes === 'string') return undefined;
  try {
    const r = asRec(JSON.parse(bytes.toString('utf8')));
    return r ? str(r, 'epic_title', 512) : undefined;
  } catch {
    return undefined;
  }
}
