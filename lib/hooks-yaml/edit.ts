import type { HookEvent } from '../../schema/hooks-yaml.ts';
import type { FlowItem } from './flow.ts';
import { type Layout, lineOf, type SeqLayout, scanLayout } from './layout.ts';
import { dominantEol, type Line } from './lines.ts';
import { blockItem, flowItem, type OurHook, yamlScalar } from './our-hooks.ts';
import type { HooksYamlProblem } from './problem.ts';

/**
 * The three text edits install and uninstall are made of: add one hook to an event, replace one,
 * remove one. Each changes only the characters of that hook (plus its event key or the `hooks`
 * key when it creates or empties them), in the style the surrounding text uses, so an install
 * followed by an uninstall gives back the very same bytes.
 */

/** On a `hooks:` key the installer had to create: uninstall then removes the key again. */
export const MARKER = '# added by tapps-agents learning install-hooks';

export type Edited = { ok: true; text: string } | { ok: false; problem: HooksYamlProblem };

function splice(text: string, from: number, to: number, insert: string): Edited {
  return { ok: true, text: text.slice(0, from) + insert + text.slice(to) };
}

function unsupported(line: number, what: string): Edited {
  return {
    ok: false,
    problem: {
      line: line + 1,
      message: `${what} is written in a form install-hooks does not edit (an anchor, alias, tag or an unusual layout)`,
    },
  };
}

export function insertHook(text: string, layout: Layout, hook: OurHook): Edited {
  const h = layout.hooks;
  const { lines } = layout;
  if (h.kind === 'absent') {
    const eol = dominantEol(text);
    const block = [`hooks:  ${MARKER}`, `  ${yamlScalar(hook.event)}:`, ...blockItem(hook, 4, 6)].join(eol);
    if (text === '' || text.endsWith('\n')) return splice(text, text.length, text.length, block + eol);
    return splice(text, text.length, text.length, eol + block);
  }
  if (h.kind === 'other') return unsupported(h.line, 'this file');
  if (h.kind === 'empty-flow') {
    // `hooks: {}` becomes a block mapping; uninstall turns an emptied one back into `hooks: {}`.
    const from = h.open === h.colon + 1 && text[h.colon] === ' ' ? h.colon : h.open;
    const converted = text.slice(0, from) + text.slice(h.close + 1);
    return insertHook(converted, scanLayout(converted), hook);
  }
  if (h.kind === 'flow') {
    const ev = h.events.find((e) => e.name === hook.event);
    if (ev) return insertIntoSeq(text, lines, ev.seq, hook, lineOf(lines, ev.entry.start), -1);
    const last = h.flow.items.at(-1);
    const at = last ? last.end : h.flow.open + 1;
    return splice(text, at, at, `${last ? ', ' : ''}${yamlScalar(hook.event)}: [${flowItem(hook)}]`);
  }
  const ev = h.events.find((e) => e.name === hook.event);
  if (ev) return insertIntoSeq(text, lines, ev.seq, hook, ev.keyLine, h.eventIndent ?? 2);
  // A new event after the mapping's last line, its list shaped like the other events' lists.
  const eventIndent = h.eventIndent ?? 2;
  let dashIndent = eventIndent + 2;
  let contentCol = dashIndent + 2;
  for (const e of h.events) {
    if (e.seq.style !== 'block') continue;
    const model = e.seq.items[0];
    if (!model) continue;
    dashIndent = model.dashIndent;
    contentCol = model.contentCol;
    break;
  }
  const anchor = lines[h.lastLine] as Line;
  const eol = anchor.eol || dominantEol(text);
  const added = [
    `${' '.repeat(eventIndent)}${yamlScalar(hook.event)}:`,
    ...blockItem(hook, dashIndent, contentCol),
  ];
  return splice(text, anchor.end, anchor.end, eol + added.join(eol));
}

function insertIntoSeq(
  text: string,
  lines: Line[],
  seq: SeqLayout,
  hook: OurHook,
  keyLine: number,
  eventIndent: number,
): Edited {
  if (seq.style === 'flow') {
    const last = seq.flow.items.at(-1);
    const at = last ? last.end : seq.flow.open + 1;
    return splice(text, at, at, `${last ? ', ' : ''}${flowItem(hook)}`);
  }
  if (seq.style === 'block' || (seq.style === 'null' && eventIndent >= 0)) {
    const anchor = lines[seq.style === 'block' ? seq.lastLine : keyLine] as Line;
    const model = seq.style === 'block' ? seq.items[0] : undefined;
    const dashIndent = model?.dashIndent ?? eventIndent + 2;
    const eol = anchor.eol || dominantEol(text);
    return splice(
      text,
      anchor.end,
      anchor.end,
      eol + blockItem(hook, dashIndent, model?.contentCol ?? dashIndent + 2).join(eol),
    );
  }
  return unsupported(keyLine, `the list of ${hook.event}`);
}

function seqOf(layout: Layout, event: HookEvent): { seq: SeqLayout; line: number } | null {
  const h = layout.hooks;
  if (h.kind === 'block') {
    const ev = h.events.find((e) => e.name === event);
    return ev ? { seq: ev.seq, line: ev.keyLine } : null;
  }
  if (h.kind === 'flow') {
    const ev = h.events.find((e) => e.name === event);
    return ev ? { seq: ev.seq, line: lineOf(layout.lines, ev.entry.start) } : null;
  }
  return null;
}

export function replaceHook(
  text: string,
  layout: Layout,
  event: HookEvent,
  index: number,
  hook: OurHook,
): Edited {
  const found = seqOf(layout, event);
  if (!found) return unsupported(0, `the list of ${event}`);
  const { seq } = found;
  if (seq.style === 'flow') {
    const item = seq.flow.items[index];
    if (item) return splice(text, item.start, item.end, flowItem(hook));
  }
  if (seq.style === 'block') {
    const item = seq.items[index];
    if (item) {
      const first = layout.lines[item.dashLine] as Line;
      const last = layout.lines[item.lastLine] as Line;
      const eol = first.eol || dominantEol(text);
      return splice(text, first.start, last.end, blockItem(hook, item.dashIndent, item.contentCol).join(eol));
    }
  }
  return unsupported(found.line, `the list of ${event}`);
}

/** Removes a list element and the separator before it (or after it, when it is the first). */
function removeFlowItem(text: string, items: readonly FlowItem[], index: number): Edited {
  const item = items[index] as FlowItem;
  const prev = items[index - 1];
  const next = items[index + 1];
  if (prev) return splice(text, prev.end, item.end, '');
  if (next) return splice(text, item.start, next.start, '');
  return splice(text, item.start, item.end, '');
}

export function removeHook(text: string, layout: Layout, event: HookEvent, index: number): Edited {
  const found = seqOf(layout, event);
  if (!found) return unsupported(0, `the list of ${event}`);
  const { seq } = found;
  const h = layout.hooks;
  const { lines } = layout;
  if (seq.style === 'flow') {
    if (seq.flow.items.length === 1 && h.kind === 'flow') {
      // A flow mapping loses the whole `Event: [...]` entry, as install added it.
      const at = h.events.findIndex((e) => e.name === event);
      return removeFlowItem(text, h.flow.items, at);
    }
    if (seq.flow.items[index]) return removeFlowItem(text, seq.flow.items, index);
  }
  if (seq.style === 'block' && h.kind === 'block') {
    const item = seq.items[index];
    if (item) {
      const ev = h.events.find((e) => e.name === event);
      // The last hook of a block list takes its event key along: an empty block list cannot exist.
      const firstLine = seq.items.length === 1 && ev ? ev.keyLine : item.dashLine;
      const from = firstLine > 0 ? (lines[firstLine - 1] as Line).end : 0;
      return splice(text, from, (lines[item.lastLine] as Line).end, '');
    }
  }
  return unsupported(found.line, `the list of ${event}`);
}

/**
 * After removals: a block `hooks:` mapping left with no event is written back as `hooks: {}` (what
 * `tapps-agents init` writes), or removed when the installer created the key (it carries MARKER).
 */
export function tidyEmptyHooks(text: string): string {
  const layout = scanLayout(text);
  const h = layout.hooks;
  if (h.kind !== 'block' || h.events.length > 0) return text;
  const line = layout.lines[h.keyLine] as Line;
  if (text.slice(line.start, line.end).includes(MARKER)) {
    if (line.eol) return text.slice(0, line.start) + text.slice(line.end + line.eol.length);
    const from = h.keyLine > 0 ? (layout.lines[h.keyLine - 1] as Line).end : 0;
    return text.slice(0, from) + text.slice(line.end);
  }
  return `${text.slice(0, h.colon)} {}${text.slice(h.colon)}`;
}
