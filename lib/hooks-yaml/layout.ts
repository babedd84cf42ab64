import { type FlowCollection, type FlowEntry, flowEntry, scanFlow, unquote } from './flow.ts';
import { type Line, splitLines, stripComment } from './lines.ts';

/**
 * Where things are in a hooks.yaml text: the `hooks` key, each event under it and each hook of an
 * event, in the two styles YAML offers (block: indented lines; flow: `[…]`, `{…}`). Only what the
 * installer edits is mapped; anything else is "other" and left alone. Every edit made from this
 * map is checked by parsing the result, so a layout this scanner misreads is refused, not written.
 */

export interface BlockItem {
  dashLine: number;
  /** Last content line of the item. */
  lastLine: number;
  dashIndent: number;
  /** Column of the item's keys (`- name:` → dashIndent + 2). */
  contentCol: number;
}

export type SeqLayout =
  | { style: 'block'; items: BlockItem[]; lastLine: number }
  | { style: 'flow'; flow: FlowCollection }
  | { style: 'null' }
  | { style: 'other' };

export interface BlockEvent {
  name: string;
  keyLine: number;
  seq: SeqLayout;
}

export interface FlowEvent {
  name: string;
  entry: FlowEntry;
  seq: SeqLayout;
}

export type HooksLayout =
  /** No `hooks` key: an empty file, comments only, or a mapping without it. */
  | { kind: 'absent' }
  /** `hooks:` followed by indented events (or by nothing). */
  | {
      kind: 'block';
      keyLine: number;
      /** Offset just after the key's colon. */
      colon: number;
      events: BlockEvent[];
      eventIndent: number | null;
      /** Last content line of the mapping: the key line when it has no events. */
      lastLine: number;
    }
  /** `hooks: {}` on one line. */
  | { kind: 'empty-flow'; keyLine: number; colon: number; open: number; close: number }
  | { kind: 'flow'; keyLine: number; flow: FlowCollection; events: FlowEvent[] }
  | { kind: 'other'; line: number; reason: string };

export interface Layout {
  lines: Line[];
  hooks: HooksLayout;
}

const KEY = /^( *)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"?{[-][^#]*?|-[^\s#][^#]*?) *:(?= |\t|$)/;

export function scanLayout(text: string): Layout {
  const lines = splitLines(text);
  const lineText = (i: number) => {
    const l = lines[i] as Line;
    return text.slice(l.start, l.end);
  };
  let keyLine = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as Line;
    if (l.kind !== 'content' || l.indent !== 0) continue;
    const t = lineText(i);
    if (/^(%|---(\s|$)|\.\.\.(\s|$))/.test(t)) continue;
    const m = KEY.exec(t);
    if (!m) return { lines, hooks: { kind: 'other', line: i, reason: 'the file is not a mapping of keys' } };
    if (unquote(m[2] as string) === 'hooks') {
      keyLine = i;
      break;
    }
  }
  if (keyLine < 0) return { lines, hooks: { kind: 'absent' } };

  const kl = lines[keyLine] as Line;
  const t = lineText(keyLine);
  const colonAt = (KEY.exec(t)?.[0].length ?? 0) + kl.start;
  const inline = stripComment(text.slice(colonAt, kl.end)).trim();
  const colon = colonAt;
  if (inline.startsWith('{')) {
    const open = text.indexOf('{', colon);
    const flow = scanFlow(text, open);
    if (!flow)
      return { lines, hooks: { kind: 'other', line: keyLine, reason: 'the `{` after hooks: never closes' } };
    if (
      flow.items.length === 0 &&
      flow.close < kl.end &&
      stripComment(text.slice(flow.close + 1, kl.end)) === ''
    )
      return { lines, hooks: { kind: 'empty-flow', keyLine, colon, open, close: flow.close } };
    const events: FlowEvent[] = [];
    for (const item of flow.items) {
      const entry = flowEntry(text, item);
      if (!entry)
        return {
          lines,
          hooks: {
            kind: 'other',
            line: lineOf(lines, item.start),
            reason: 'an entry of hooks: {…} is not key: value',
          },
        };
      events.push({ name: entry.key, entry, seq: flowSeq(text, entry.valueStart, entry.end) });
    }
    return { lines, hooks: { kind: 'flow', keyLine, flow, events } };
  }
  if (inline !== '')
    return {
      lines,
      hooks: {
        kind: 'other',
        line: keyLine,
        reason: 'hooks: is followed by an anchor, alias, tag or scalar',
      },
    };

  // A block mapping: the lines after the key up to the next top-level content line.
  let bodyEnd = keyLine + 1;
  while (bodyEnd < lines.length) {
    const l = lines[bodyEnd] as Line;
    if (l.kind === 'content' && l.indent === 0) break;
    bodyEnd++;
  }
  const events: BlockEvent[] = [];
  let eventIndent: number | null = null;
  let lastLine = keyLine;
  for (let i = keyLine + 1; i < bodyEnd; i++) {
    const l = lines[i] as Line;
    if (l.kind !== 'content') continue;
    lastLine = i;
    eventIndent ??= l.indent;
    if (l.indent !== eventIndent) continue;
    // `- ` at the event's own indentation: a list item of the event above (compact notation).
    if (/^ *-( |\t|$)/.test(lineText(i))) continue;
    const m = KEY.exec(lineText(i));
    if (!m)
      return { lines, hooks: { kind: 'other', line: i, reason: 'hooks: does not hold a mapping of events' } };
    events.push({ name: unquote(m[2] as string), keyLine: i, seq: { style: 'other' } });
  }
  for (let e = 0; e < events.length; e++) {
    const ev = events[e] as BlockEvent;
    const until = (events[e + 1]?.keyLine ?? bodyEnd) - 1;
    ev.seq = blockValue(text, lines, ev.keyLine, until, eventIndent as number);
  }
  return { lines, hooks: { kind: 'block', keyLine, colon, events, eventIndent, lastLine } };
}

/** The value after an event key in a block mapping: a block list, a flow list, nothing, or other. */
function blockValue(text: string, lines: Line[], keyLine: number, until: number, indent: number): SeqLayout {
  const kl = lines[keyLine] as Line;
  const t = text.slice(kl.start, kl.end);
  const colon = kl.start + (KEY.exec(t)?.[0].length ?? 0);
  const inline = stripComment(text.slice(colon, kl.end)).trim();
  if (inline.startsWith('[')) return flowSeq(text, text.indexOf('[', colon), Number.POSITIVE_INFINITY);
  if (inline !== '') return { style: 'other' };
  const content: number[] = [];
  for (let i = keyLine + 1; i <= until; i++) if ((lines[i] as Line).kind === 'content') content.push(i);
  if (content.length === 0) return { style: 'null' };
  const first = lines[content[0] as number] as Line;
  const dash = (i: number) => {
    const l = lines[i] as Line;
    return l.indent === first.indent && /^-( |\t|$)/.test(text.slice(l.start + l.indent, l.end));
  };
  if (first.indent < indent || !dash(content[0] as number)) return { style: 'other' };
  const items: BlockItem[] = [];
  for (const i of content) {
    const l = lines[i] as Line;
    if (dash(i)) {
      const after = text.slice(l.start + l.indent + 1, l.end);
      const pad = after.length - after.replace(/^[ \t]+/, '').length;
      const inlineContent = stripComment(after).trim() !== '';
      items.push({
        dashLine: i,
        lastLine: i,
        dashIndent: l.indent,
        contentCol: inlineContent ? l.indent + 1 + pad : -1,
      });
    } else {
      const item = items.at(-1) as BlockItem;
      if (item.contentCol < 0) item.contentCol = l.indent;
      item.lastLine = i;
    }
  }
  for (const item of items) if (item.contentCol < 0) item.contentCol = item.dashIndent + 2;
  return { style: 'block', items, lastLine: content.at(-1) as number };
}

function flowSeq(text: string, start: number, limit: number): SeqLayout {
  if (text[start] !== '[') return { style: 'other' };
  const flow = scanFlow(text, start);
  if (!flow || flow.close >= limit) return { style: 'other' };
  return { style: 'flow', flow };
}

/** 0-based line index of an offset. */
export function lineOf(lines: readonly Line[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lines[mid] as Line).start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
