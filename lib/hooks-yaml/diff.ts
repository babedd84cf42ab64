/** One line of an edit script: kept (' '), removed ('-') or added ('+'), and where it stands. */
interface Op {
  kind: ' ' | '-' | '+';
  text: string;
  /** 0-based index of this line in the old text (for ' ', '-') or of the next old line (for '+'). */
  a: number;
  /** The same in the new text. */
  b: number;
}

/** Above this many cells the middle part is shown as one replaced block instead of a minimal diff. */
const MAX_LCS_CELLS = 4_000_000;

function splitForDiff(text: string): string[] {
  if (text === '') return [];
  const finalEol = text.endsWith('\n');
  const lines = (finalEol ? text.slice(0, -1) : text).split('\n').map((l) => l.replace(/\r$/, ''));
  // A last line without a line break differs from the same text with one, and diff says so.
  if (!finalEol) lines[lines.length - 1] += '\n\\ No newline at end of file';
  return lines;
}

/** Shortest edit script: common prefix and suffix, then a longest common subsequence in between. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf])
    suf++;
  const ops: Op[] = [];
  for (let i = 0; i < pre; i++) ops.push({ kind: ' ', text: a[i] as string, a: i, b: i });
  const n = a.length - pre - suf;
  const m = b.length - pre - suf;
  if (n * m > MAX_LCS_CELLS) {
    for (let i = 0; i < n; i++) ops.push({ kind: '-', text: a[pre + i] as string, a: pre + i, b: pre });
    for (let j = 0; j < m; j++) ops.push({ kind: '+', text: b[pre + j] as string, a: pre + n, b: pre + j });
  } else {
    // lcs[i][j]: longest common subsequence of a[pre+i..] and b[pre+j..].
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i * w + j] =
          a[pre + i] === b[pre + j]
            ? (lcs[(i + 1) * w + j + 1] as number) + 1
            : Math.max(lcs[(i + 1) * w + j] as number, lcs[i * w + j + 1] as number);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] === b[pre + j]) {
        ops.push({ kind: ' ', text: a[pre + i] as string, a: pre + i, b: pre + j });
        i++;
        j++;
      } else if (i < n && (j >= m || (lcs[(i + 1) * w + j] as number) >= (lcs[i * w + j + 1] as number))) {
        ops.push({ kind: '-', text: a[pre + i] as string, a: pre + i, b: pre + j });
        i++;
      } else {
        ops.push({ kind: '+', text: b[pre + j] as string, a: pre + i, b: pre + j });
        j++;
      }
    }
  }
  for (let k = 0; k < suf; k++) {
    const ai = a.length - suf + k;
    const bi = b.length - suf + k;
    ops.push({ kind: ' ', text: a[ai] as string, a: ai, b: bi });
  }
  return ops;
}

/**
 * A unified diff (`diff -u` format, `context` lines around each change), '' when the texts are
 * equal. Line breaks are not shown (CRLF files diff like LF ones); a last line without one is
 * marked as diff marks it.
 */
export function unifiedDiff(
  before: string,
  after: string,
  fromName: string,
  toName: string,
  context = 3,
): string {
  if (before === after) return '';
  const ops = editScript(splitForDiff(before), splitForDiff(after));
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && (ops[i] as Op).kind === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    for (;;) {
      while (end < ops.length && (ops[end] as Op).kind !== ' ') end++;
      let k = end;
      while (k < ops.length && (ops[k] as Op).kind === ' ') k++;
      if (k < ops.length && k - end <= 2 * context) end = k;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    const hunk = ops.slice(start, end);
    const first = hunk[0] as Op;
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    // diff numbers an empty range by the line before it.
    out.push(
      `@@ -${aLen === 0 ? first.a : first.a + 1},${aLen} +${bLen === 0 ? first.b : first.b + 1},${bLen} @@`,
    );
    for (const o of hunk) out.push(`${o.kind}${o.text}`);
    i = end;
  }
  return `${out.join('\n')}\n`;
}
