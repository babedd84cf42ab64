/**
 * A YAML text as lines with their offsets, so edits are made to the text itself (every byte the
 * user wrote stays, comments included) instead of re-dumping a parsed document.
 */
export interface Line {
  /** Offset of the first character. */
  start: number;
  /** Offset just after the last character before the line break. */
  end: number;
  /** The line break after it: `\n`, `\r\n`, or '' on a last line without one. */
  eol: string;
  /** Leading spaces. */
  indent: number;
  /**
   * `content` holds YAML; `comment` only a comment; `blank` nothing. Lines inside a block scalar
   * (`|`, `>`) are content even when they start with `#`.
   */
  kind: 'blank' | 'comment' | 'content';
}

const BLOCK_SCALAR_HEADER = /(?:^\s*-|:)\s+(?:[!&]\S+\s+)*[|>][-+0-9]*$/;

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let pos = 0;
  let scalarParent = -1;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const next = nl === -1 ? text.length : nl + 1;
    const end = nl === -1 ? text.length : nl > pos && text[nl - 1] === '\r' ? nl - 1 : nl;
    const body = text.slice(pos, end);
    const indent = body.length - body.replace(/^ +/, '').length;
    const trimmed = body.trim();
    let kind: Line['kind'] = trimmed === '' ? 'blank' : trimmed.startsWith('#') ? 'comment' : 'content';
    if (scalarParent >= 0 && kind !== 'blank') {
      if (indent > scalarParent) kind = 'content';
      else scalarParent = -1;
    }
    if (kind === 'content' && scalarParent < 0 && BLOCK_SCALAR_HEADER.test(stripComment(body)))
      scalarParent = indent;
    lines.push({ start: pos, end, eol: text.slice(end, next), indent, kind });
    pos = next;
  }
  return lines;
}

/** The line break a file mostly uses (CRLF when any line has one), for lines added to it. */
export function dominantEol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * A line without its trailing comment: `#` starts a comment after whitespace, outside quotes.
 * Good enough for the one-line values this folder inspects (keys, `[`, `{`, `|`).
 */
export function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) {
        if (quote === "'" && line[i + 1] === "'") i++;
        else quote = null;
      } else if (quote === '"' && c === '\\') i++;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s:[{,-]/.test(line[i - 1] as string))) quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] as string))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}
