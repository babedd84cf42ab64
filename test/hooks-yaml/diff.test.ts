import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { unifiedDiff } from '../../lib/hooks-yaml/diff.ts';

/** Applies a unified diff the way `patch` does, for texts with a final line break. */
function apply(before: string, diff: string): string {
  const old = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let at = 0;
  const lines = diff.replace(/\n$/, '').split('\n').slice(2);
  for (let i = 0; i < lines.length; i++) {
    const h = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(lines[i] as string);
    assert.ok(h, `not a hunk header: ${lines[i]}`);
    const start = Number(h[2]) === 0 ? Number(h[1]) : Number(h[1]) - 1;
    while (at < start) out.push(old[at++] as string);
    for (i++; i < lines.length && !(lines[i] as string).startsWith('@@'); i++) {
      const l = lines[i] as string;
      if (l.startsWith('+')) out.push(l.slice(1));
      else {
        assert.equal(old[at], l.slice(1));
        if (l.startsWith(' ')) out.push(l.slice(1));
        at++;
      }
    }
    i--;
  }
  while (at < old.length) out.push(old[at++] as string);
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

describe('unifiedDiff', () => {
  it('prints hunks with three lines of context and diff-style headers', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\n';
    const after = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    assert.equal(
      unifiedDiff(before, after, 'a/x', 'b/x'),
      '--- a/x\n+++ b/x\n@@ -5,3 +5,4 @@\n e\n f\n g\n+h\n',
    );
    assert.equal(unifiedDiff(before, before, 'a', 'b'), '');
    assert.equal(unifiedDiff('', 'x\n', '/dev/null', 'b/x'), '--- /dev/null\n+++ b/x\n@@ -0,0 +1,1 @@\n+x\n');
  });

  it('marks a last line without a line break, and shows CRLF files like LF ones', () => {
    assert.equal(
      unifiedDiff('a\r\nb', 'a\r\nb\r\nc\r\n', 'a/x', 'b/x'),
      '--- a/x\n+++ b/x\n@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n',
    );
  });

  it('property: the diff turns the old text into the new one', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'hooks:', '  - x'), { maxLength: 30 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const before = a.length ? `${a.join('\n')}\n` : '';
        const after = b.length ? `${b.join('\n')}\n` : '';
        const d = unifiedDiff(before, after, 'a', 'b', 2);
        assert.equal(d === '' ? before : apply(before, d), after);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
