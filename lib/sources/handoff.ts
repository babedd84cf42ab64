import type { RunContext } from './context.ts';
import { readSmallFile } from './small-file.ts';
import type { NaiveAs } from './timestamps.ts';
import { parseMs } from './timestamps.ts';

const MAX_HANDOFF = 1 << 20;

export interface Handoff {
  endedMs: number | undefined;
  summary: string;
  /** The leading `Workflow <status>` / `Build workflow <status>` word of the summary. */
  status: string | undefined;
  /** `Steps: N.` (builds) or `Completed steps: N.` (headless). */
  steps: number | undefined;
}

/** Top-level scalar keys of a YAML front matter block; quoting as PyYAML writes it. */
export function frontMatter(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '---') return out;
  for (let i = 1; i < lines.length && i < 2000; i++) {
    const l = lines[i] as string;
    if (l.trim() === '---') break;
    const m = /^([A-Za-z_][\w-]*):\s*(.*)$/.exec(l);
    if (!m) continue;
    let v = (m[2] as string).trim();
    if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) v = v.slice(1, -1).replaceAll("''", "'");
    else if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replaceAll('\\"', '"');
    out.set(m[1] as string, v);
  }
  return out;
}

/**
 * SESSION_HANDOFF.md, written when a headless workflow or a build ends (whatever the reason), holds
 * the outcome that the event log lacks when the executor raised before `workflow_end`.
 */
export async function readHandoff(
  ctx: RunContext,
  rel: string,
  naive: NaiveAs,
): Promise<Handoff | undefined> {
  const bytes = readSmallFile(ctx.abs(rel), MAX_HANDOFF);
  return typeof bytes === 'string' ? undefined : parseHandoff(ctx, bytes.toString('utf8'), naive);
}

export function parseHandoff(ctx: RunContext, text: string, naive: NaiveAs): Handoff {
  const fm = frontMatter(text);
  const summary = fm.get('summary') ?? '';
  const m = /^(?:Build )?[Ww]orkflow (\w+)/.exec(summary);
  const steps = /Steps:\s*(\d+)/i.exec(summary);
  return {
    endedMs: parseMs(fm.get('session_ended_at'), naive, ctx.zone),
    summary,
    status: m?.[1]?.toLowerCase(),
    steps: steps ? Number(steps[1]) : undefined,
  };
}
