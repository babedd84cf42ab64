import fc from 'fast-check';
import { HOOK_EVENTS } from '../../schema/hooks-yaml.ts';

/**
 * Valid hooks.yaml files in the layouts people write: block and flow mappings and lists, both dash
 * indentations, quoted and plain scalars, comments and blank lines anywhere a line may go, LF or
 * CRLF, with or without a final line break. Never with our own entries (those are what install
 * adds), and never an explicitly empty list of our events inside a flow-style `hooks: {…}` (the one
 * layout uninstall cannot tell from one install created; see the README).
 */

const CHARS = [...'abcdefghijklmnopqrstuvwxyz0123456789 -_./:#\'"{}[],&*!|>%@`\\=?é✓'];
const text = fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 24 }).map((a) => a.join(''));
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const comment = fc.oneof(
  fc.constant('# note'),
  fc.constant('#'),
  text.map((t) => `# ${t.replace(/[\r\n]/g, '')}`),
);

/** A scalar written so YAML (1.1 and 1.2) reads back exactly `s`. */
const scalar = (s: string) =>
  fc.constantFrom('double', 'single', 'plain').map((style) => {
    if (
      style === 'plain' &&
      /^[a-z][a-z0-9 ./-]*[a-z0-9]$/.test(s) &&
      !/^(y|n|yes|no|on|off|true|false|null)$/i.test(s)
    )
      return s;
    if (style === 'single') return `'${s.replace(/'/g, "''")}'`;
    return JSON.stringify(s);
  });

const boolWord = fc.constantFrom('true', 'false', 'yes', 'no', 'True', 'off');

interface Hook {
  name: string;
  command: string;
  enabled?: string;
  fail?: string;
  matcher?: string;
  patterns?: string[];
}

const hook: fc.Arbitrary<Hook> = fc.record(
  {
    name: word.filter((n) => !n.startsWith('learning-collector')),
    command: text,
    enabled: boolWord,
    fail: boolWord,
    matcher: fc.constantFrom('Write', 'Write|Edit'),
    patterns: fc.array(fc.constantFrom('*.py', '*.ts', 'src/**'), { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: ['name', 'command'] },
);

type Rendered = fc.Arbitrary<string[]>;

function keyLines(h: Hook): fc.Arbitrary<[string, string][]> {
  return fc.tuple(scalar(h.name), scalar(h.command)).map(([n, c]) => {
    const out: [string, string][] = [
      ['name', n],
      ['command', c],
    ];
    if (h.enabled !== undefined) out.push(['enabled', h.enabled]);
    if (h.fail !== undefined) out.push(['fail_on_error', h.fail]);
    if (h.matcher !== undefined) out.push(['matcher', JSON.stringify(h.matcher)]);
    if (h.patterns !== undefined)
      out.push(['file_patterns', `[${h.patterns.map((p) => JSON.stringify(p)).join(', ')}]`]);
    return out;
  });
}

function flowHook(h: Hook): fc.Arbitrary<string> {
  return keyLines(h).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`);
}

/** A block list item: dash at `dash`, keys at `dash + gap + 1`, maybe with comments. */
function blockHook(h: Hook, dash: number, gap: number): Rendered {
  return fc
    .tuple(keyLines(h), fc.option(comment, { nil: undefined }), fc.boolean())
    .map(([kv, c, trailing]) => {
      const pad = ' '.repeat(dash + gap + 1);
      const lines = kv.map(
        ([k, v], i) => `${i === 0 ? `${' '.repeat(dash)}-${' '.repeat(gap)}` : pad}${k}: ${v}`,
      );
      if (c && trailing) lines[0] = `${lines[0]}  ${c}`;
      else if (c) lines.splice(1, 0, `${pad}${c}`);
      return lines;
    });
}

function blockEvent(event: string, hooks: Hook[], indent: number): Rendered {
  const style = hooks.length === 0 ? fc.constant('flow') : fc.constantFrom('block', 'block', 'flow');
  return fc
    .tuple(style, fc.constantFrom(0, 2), fc.constantFrom(1, 3), fc.option(comment, { nil: undefined }))
    .chain(([s, dashOffset, gap, c]) => {
      const key = `${' '.repeat(indent)}${event}:`;
      if (s === 'flow')
        return fc
          .tuple(...hooks.map(flowHook))
          .map((items) => [`${key} [${items.join(', ')}]${c ? `  ${c}` : ''}`]);
      return fc
        .tuple(...hooks.map((h) => blockHook(h, indent + dashOffset, gap)))
        .map((items) => [c ? `${key}  ${c}` : key, ...items.flat()]);
    });
}

const events = fc
  .uniqueArray(fc.constantFrom(...HOOK_EVENTS), { maxLength: 5 })
  .chain((names) =>
    fc.tuple(...names.map((n) => fc.tuple(fc.constant(n), fc.array(hook, { maxLength: 3 })))),
  );

/** Comment and blank lines sprinkled between lines, at an indentation that keeps them comments. */
function sprinkle(lines: string[], extra: fc.Arbitrary<string>): fc.Arbitrary<string[]> {
  return fc
    .array(fc.option(extra, { nil: undefined, freq: 3 }), {
      minLength: lines.length,
      maxLength: lines.length,
    })
    .map((adds) => lines.flatMap((l, i) => (adds[i] !== undefined ? [l, adds[i] as string] : [l])));
}

const body: fc.Arbitrary<string[]> = events.chain((evs) => {
  const nonEmpty = evs.filter(([, hs]) => hs.length > 0);
  return fc.constantFrom('empty-flow', 'block', 'block', 'flow-map').chain((style) => {
    if (style === 'empty-flow' || evs.length === 0) return fc.constant(['hooks: {}']);
    if (style === 'flow-map' && nonEmpty.length > 0)
      return fc
        .tuple(
          ...nonEmpty.map(([e, hs]) =>
            fc.tuple(...hs.map(flowHook)).map((items) => `${e}: [${items.join(', ')}]`),
          ),
        )
        .map((entries) => [`hooks: {${entries.join(', ')}}`]);
    return fc.tuple(fc.constantFrom(2, 4), fc.option(comment, { nil: undefined })).chain(([indent, c]) =>
      fc
        .tuple(...evs.map(([e, hs]) => blockEvent(e, hs, indent)))
        .chain((blocks) =>
          sprinkle(
            blocks.flat(),
            fc.oneof(
              fc.constant(''),
              comment.map((x) => `${' '.repeat(indent)}${x}`),
            ),
          ),
        )
        .map((lines) => [c ? `hooks:  ${c}` : 'hooks:', ...lines]),
    );
  });
});

export const hooksYamlText: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.oneof(comment, fc.constant('')), { maxLength: 2 }),
    fc.boolean(),
    body,
    fc.array(fc.oneof(comment, fc.constant('')), { maxLength: 2 }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
  )
  .map(([head, docStart, lines, tail, eol, finalEol]) => {
    const all = [...head, ...(docStart ? ['---'] : []), ...lines, ...tail];
    return all.join(eol) + (finalEol ? eol : '');
  });
