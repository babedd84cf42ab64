/** One element of a flow collection: its text without surrounding whitespace, commas or comments. */
export interface FlowItem {
  start: number;
  end: number;
}

/** A `[…]` or `{…}` in the text: where it opens and closes, and its top-level elements. */
export interface FlowCollection {
  open: number;
  /** Offset of the closing bracket. */
  close: number;
  items: FlowItem[];
}

/**
 * Scans the flow collection that opens at `open` (a `[` or `{`), across lines, skipping quoted
 * scalars and comments. Returns null when it does not close. Element boundaries are top-level
 * commas; a trailing comma makes no element (as in YAML).
 */
export function scanFlow(text: string, open: number): FlowCollection | null {
  const items: FlowItem[] = [];
  let depth = 0;
  let start = -1;
  let end = -1;
  let prev = '';
  const finish = () => {
    if (start >= 0) items.push({ start, end });
    start = -1;
  };
  const mark = (from: number, to: number) => {
    if (depth === 1 && start < 0) start = from;
    end = to;
  };
  for (let i = open; i < text.length; i++) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      prev = c;
      continue;
    }
    if (c === '#' && (prev === '' || /\s/.test(prev))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return null;
      i = nl - 1;
      prev = ' ';
      continue;
    }
    if ((c === '"' || c === "'") && (prev === '' || /[\s[{,:]/.test(prev))) {
      const close = closingQuote(text, i);
      if (close < 0) return null;
      mark(i, close + 1);
      i = close;
      prev = c;
      continue;
    }
    if (c === '[' || c === '{') {
      if (i !== open) mark(i, i + 1);
      depth += 1;
    } else if (c === ']' || c === '}') {
      depth -= 1;
      if (depth === 0) {
        finish();
        return { open, close: i, items };
      }
      end = i + 1;
    } else if (c === ',' && depth === 1) finish();
    else mark(i, i + 1);
    prev = c;
  }
  return null;
}

function closingQuote(text: string, open: number): number {
  const q = text[open];
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (q === '"' && c === '\\') i++;
    else if (c === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/** A `key: value` element of a flow mapping: the key's text (unquoted) and where the value begins. */
export interface FlowEntry extends FlowItem {
  key: string;
  /** Offset of the value's first character; `end` when the value is empty. */
  valueStart: number;
}

export function flowEntry(text: string, item: FlowItem): FlowEntry | null {
  const body = text.slice(item.start, item.end);
  let keyEnd: number;
  let key: string;
  if (body.startsWith('"') || body.startsWith("'")) {
    const close = closingQuote(body, 0);
    if (close < 0) return null;
    key = unquote(body.slice(0, close + 1));
    keyEnd = close + 1;
    while (body[keyEnd] === ' ' || body[keyEnd] === '\t') keyEnd++;
    if (body[keyEnd] !== ':') return null;
  } else {
    const m = /:(?=[\s,[\]{}]|$)/.exec(body);
    if (!m) return null;
    keyEnd = m.index;
    key = body.slice(0, keyEnd).trim();
  }
  let v = keyEnd + 1;
  while (v < body.length && /\s/.test(body[v] as string)) v++;
  return { ...item, key, valueStart: item.start + v };
}

/** The value of a quoted or plain scalar as YAML reads it (the escapes a key may carry). */
export function unquote(s: string): string {
  if (s.startsWith("'") && s.endsWith("'") && s.length >= 2) return s.slice(1, -1).replace(/''/g, "'");
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) {
    try {
      return JSON.parse(s) as string;
    } catch {
      return s.slice(1, -1);
    }
  }
  return s;
}
